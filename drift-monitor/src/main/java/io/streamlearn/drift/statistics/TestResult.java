package io.streamlearn.drift.statistics;

/** A test statistic and its p-value. */
public record TestResult(double statistic, double pValue) {
}
