package io.streamlearn.drift.window;

import io.streamlearn.drift.statistics.DriftThresholds;
import java.io.Serializable;
import java.util.List;

/**
 * How the monitor windows a model's stream and decides.
 *
 * @param referenceSize   the reference window: the first this many records of the model
 * @param windowSize      the current window: the last this many records, a multiple of {@code windowStep}
 * @param windowStep      the window slides (and is evaluated) every this many records
 * @param confirmWindows  consecutive drifting windows that confirm a drift (hysteresis)
 * @param cooldownWindows windows after an alert in which the same signal raises nothing
 * @param datasetShare    share of tested features whose drifting together is a dataset-level drift
 * @param ksSampleSize    reservoir size per window and feature for the KS test
 * @param maxCategories   categories counted exactly per nominal feature
 * @param detectors       concept-drift detectors (short names or MOA specs); the first to fire raises the alert
 * @param conceptCooldown labelled predictions after a concept alert in which no other is raised
 * @param maxFeatures     features monitored per model and source: the first this many the reference sees; more are
 *                        counted as unmonitored, so a record with thousands of invented names cannot grow state
 */
public record MonitorSettings(int referenceSize, int windowSize, int windowStep, int confirmWindows,
        int cooldownWindows, double datasetShare, int ksSampleSize, int maxCategories, DriftThresholds thresholds,
        List<String> detectors, int conceptCooldown, int maxFeatures) implements Serializable {

    /** Features monitored per model and source unless {@code drift.max.features} says otherwise. */
    public static final int DEFAULT_MAX_FEATURES = 1000;

    /**
     * Measured on seeded synthetic streams (docs/drift.md, "Windows"): a reference of 5,000 and 4 confirming windows
     * raised no false alarm in 10 x 100k stationary events of 4 features, where a reference of 1,000 and 3 windows
     * raised 9; a 0.5-sigma mean shift is confirmed 1,000 to 1,500 events after it starts. A window of 500 by 125
     * confirms within 1,000 but raised false alarms (docs/drift-evaluation.md): an option, not the default.
     */
    public static final MonitorSettings DEFAULTS = new MonitorSettings(5000, 1000, 250, 4, 8, 0.5, 1000, 64,
            DriftThresholds.DEFAULTS, List.of("adwin"), 1000, DEFAULT_MAX_FEATURES);

    public MonitorSettings {
        detectors = List.copyOf(detectors);
        // Settings serialized by builds before maxFeatures existed deserialize it as 0.
        if (maxFeatures == 0) {
            maxFeatures = DEFAULT_MAX_FEATURES;
        }
        require(maxFeatures >= 1, "max features must be positive");
        require(referenceSize >= 100, "reference size must be at least 100");
        require(windowStep >= 1 && windowSize >= windowStep && windowSize % windowStep == 0,
                "window size must be a positive multiple of the window step");
        require(confirmWindows >= 1 && cooldownWindows >= 0, "confirm windows >= 1 and cooldown windows >= 0");
        require(datasetShare > 0 && datasetShare <= 1, "dataset share must be in (0, 1]");
        require(ksSampleSize >= 10 && maxCategories >= 2, "KS sample size >= 10 and max categories >= 2");
        require(conceptCooldown >= 0, "concept cooldown must not be negative");
    }

    /** Settings with the default feature limit. */
    public MonitorSettings(int referenceSize, int windowSize, int windowStep, int confirmWindows, int cooldownWindows,
            double datasetShare, int ksSampleSize, int maxCategories, DriftThresholds thresholds, List<String> detectors,
            int conceptCooldown) {
        this(referenceSize, windowSize, windowStep, confirmWindows, cooldownWindows, datasetShare, ksSampleSize,
                maxCategories, thresholds, detectors, conceptCooldown, DEFAULT_MAX_FEATURES);
    }

    public int blocksPerWindow() {
        return windowSize / windowStep;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
