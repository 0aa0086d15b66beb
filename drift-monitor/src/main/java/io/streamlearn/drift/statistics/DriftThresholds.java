package io.streamlearn.drift.statistics;

import java.io.Serializable;

/**
 * When a statistic counts as drift. The defaults are the usual ones:
 * <ul>
 * <li>PSI 0.1 (moderate shift) and 0.25 (major shift): the rule of thumb from credit scoring, Siddiqi, <i>Credit Risk
 * Scorecards</i> (Wiley 2006), ch. 8, and Yurdakul, <i>Statistical Properties of Population Stability Index</i>
 * (Western Michigan University, 2018).</li>
 * <li>significance 0.05, divided by the number of features tested together (Bonferroni; Dunn, <i>Multiple comparisons
 * among means</i>, JASA 56, 1961), so a model with many features does not alarm by chance alone.</li>
 * <li>distance 0.1 for the normed Wasserstein and the Jensen-Shannon distance: Evidently's defaults for numeric and
 * categorical columns (docs.evidentlyai.com, "Data drift algorithm").</li>
 * <li>missing-value rate: an absolute change of 0.1.</li>
 * </ul>
 */
public record DriftThresholds(double psiModerate, double psiMajor, double significance, double distance,
        double missingRate) implements Serializable {

    public static final DriftThresholds DEFAULTS = new DriftThresholds(0.1, 0.25, 0.05, 0.1, 0.1);

    public DriftThresholds {
        if (!(psiModerate > 0 && psiMajor >= psiModerate)) {
            throw new IllegalArgumentException("PSI thresholds must satisfy 0 < moderate <= major");
        }
        if (!(significance > 0 && significance < 1)) {
            throw new IllegalArgumentException("significance must be in (0, 1)");
        }
        if (!(distance > 0 && missingRate > 0)) {
            throw new IllegalArgumentException("distance and missing-rate thresholds must be positive");
        }
    }

    /** The per-test level when {@code tests} features are tested on the same window (Bonferroni). */
    public double correctedSignificance(int tests) {
        return significance / Math.max(1, tests);
    }
}
