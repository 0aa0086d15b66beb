package io.streamlearn.drift.statistics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares one feature's current window with its reference window and decides whether it drifts.
 *
 * <p>A distribution drifts when the test is significant at the Bonferroni-corrected level <em>and</em> an effect size
 * crosses its threshold: numeric features need KS p below the level and PSI or the normed Wasserstein distance at or
 * above theirs; nominal features need the chi-square p below the level and the Jensen-Shannon distance at or above
 * its threshold. A p-value alone flags negligible shifts once windows are large; an effect size alone flags noise in
 * small ones.
 */
public final class FeatureComparison implements Serializable {

    /** Fewer observed values than this in either window: no distribution test (the tests need samples). */
    public static final int MIN_OBSERVATIONS = 30;

    private final DriftThresholds thresholds;

    public FeatureComparison(DriftThresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** @param tests how many features are tested together on this window (for the Bonferroni correction) */
    public FeatureDrift compare(String feature, FeatureSample reference, FeatureSample current, int tests) {
        List<Statistic> statistics = new ArrayList<>();
        Optional<Statistic> evidence = Optional.empty();
        String severity = "none";
        double level = thresholds.correctedSignificance(tests);
        if (reference.count() >= MIN_OBSERVATIONS && current.count() >= MIN_OBSERVATIONS) {
            if (reference instanceof NumericSample ref && current instanceof NumericSample cur) {
                evidence = numeric(ref, cur, level, statistics);
            } else if (reference instanceof NominalSample ref && current instanceof NominalSample cur) {
                evidence = nominal(ref, cur, level, statistics);
            }
            if (evidence.isPresent()) {
                severity = major(evidence.get()) ? "major" : "moderate";
            }
        }
        double rate = current.missingRate();
        double change = rate - reference.missingRate();
        statistics.add(Statistic.reported("missing_rate", rate));
        Statistic missingChange = new Statistic("missing_rate_change", change, thresholds.missingRate(), Double.NaN);
        statistics.add(missingChange);
        Optional<Statistic> missing = Math.abs(change) >= thresholds.missingRate()
                ? Optional.of(missingChange) : Optional.empty();
        return new FeatureDrift(feature, List.copyOf(statistics), evidence, missing, severity);
    }

    private Optional<Statistic> numeric(NumericSample ref, NumericSample cur, double level, List<Statistic> out) {
        double psi = PopulationStabilityIndex.between(ref.sketch(), cur.sketch(), PopulationStabilityIndex.DEFAULT_BINS);
        double w1 = WassersteinDistance.normed(WassersteinDistance.between(ref.sketch(), cur.sketch(),
                WassersteinDistance.DEFAULT_POINTS), ref.standardDeviation());
        // The verdict needs an effect size at its threshold and the KS p-value below the level. Without the effect the
        // p-value cannot change the verdict, so only D is computed: the p-value's distribution (Durbin's matrix method
        // in Commons Statistics) was three quarters of the monitor's cost per window (DriftStatisticsBenchmark).
        boolean effect = psi >= thresholds.psiModerate() || w1 >= thresholds.distance();
        TestResult ks = effect ? KolmogorovSmirnov.testSorted(ref.sortedSample(), cur.sortedSample())
                : new TestResult(KolmogorovSmirnov.statistic(ref.sortedSample(), cur.sortedSample()), Double.NaN);
        Statistic psiStatistic = new Statistic("psi", psi, thresholds.psiModerate(), ks.pValue());
        Statistic wStatistic = new Statistic("wasserstein", w1, thresholds.distance(), ks.pValue());
        out.add(psiStatistic);
        out.add(new Statistic("ks", ks.statistic(), Double.NaN, ks.pValue()));
        out.add(wStatistic);
        if (!(ks.pValue() < level)) {
            return Optional.empty();
        }
        if (psi >= thresholds.psiModerate()) {
            return Optional.of(psiStatistic);
        }
        return w1 >= thresholds.distance() ? Optional.of(wStatistic) : Optional.empty();
    }

    private Optional<Statistic> nominal(NominalSample ref, NominalSample cur, double level, List<Statistic> out) {
        TestResult chi = ChiSquareHomogeneity.test(ref.counts(), cur.counts());
        double js = JensenShannonDistance.between(ref.counts(), cur.counts());
        Statistic jsStatistic = new Statistic("jensen_shannon", js, thresholds.distance(), chi.pValue());
        out.add(new Statistic("chi_square", chi.statistic(), Double.NaN, chi.pValue()));
        out.add(jsStatistic);
        return chi.pValue() < level && js >= thresholds.distance() ? Optional.of(jsStatistic) : Optional.empty();
    }

    /** PSI at the major level (Siddiqi 2006), or a distance of twice its threshold. */
    private boolean major(Statistic evidence) {
        return evidence.name().equals("psi") ? evidence.value() >= thresholds.psiMajor()
                : evidence.value() >= 2 * thresholds.distance();
    }
}
