package io.streamlearn.drift.window;

/**
 * One confirmed drift: what the {@code drift-alerts} topic carries.
 *
 * @param feature   the feature (for prediction drift {@code prediction}; {@value #DATASET} for dataset-level drift;
 *                  for concept drift {@code error})
 * @param statistic the statistic that shows it, or the detector's name for concept drift
 * @param threshold NaN when the statistic has none (a detector decides by itself)
 * @param pValue    the p-value that gated the verdict, NaN when none
 * @param severity  {@code major} or {@code moderate}
 */
public record DriftAlert(String model, DriftKind kind, String feature, String statistic, double value,
        double threshold, double pValue, String severity, WindowBounds reference, WindowBounds current) {

    /** The feature name of a dataset-level alert: a configured share of the features drift together. */
    public static final String DATASET = "_dataset";
}
