package io.streamlearn.drift.statistics;

/**
 * One statistic of one feature on a reference/current window pair.
 *
 * @param name      {@code psi}, {@code ks}, {@code wasserstein}, {@code chi_square}, {@code jensen_shannon},
 *                  {@code missing_rate} or {@code missing_rate_change}
 * @param threshold the value from which it counts as drift, NaN for a statistic that is only reported
 * @param pValue    the p-value that gated the verdict, NaN when none
 */
public record Statistic(String name, double value, double threshold, double pValue) {

    public static Statistic reported(String name, double value) {
        return new Statistic(name, value, Double.NaN, Double.NaN);
    }
}
