package io.streamlearn.tools.demo;

import java.util.Map;

/**
 * The {@code drift} block of the demo's {@code summary.json}: the drift monitor's alerts by kind ({@code feature},
 * {@code prediction}, {@code concept}), the first one (its kind, feature and the position that confirmed it: the
 * model's event count for feature alerts, its prediction count for the others), and how many events and labelled
 * predictions the monitor read.
 */
public record DriftSummary(Map<String, Long> alerts, String firstAlertKind, String firstAlertFeature,
        Long firstAlertPosition, long events, long labelledPredictions) {
}
