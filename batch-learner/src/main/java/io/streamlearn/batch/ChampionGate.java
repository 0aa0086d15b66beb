package io.streamlearn.batch;

import io.streamlearn.core.learn.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;

/**
 * Champion/challenger on the held-out test split: the challenger must beat each champion by the margin (relative error
 * reduction) and significantly at level alpha, on the same rows.
 *
 * <p>Classes: McNemar's test on the discordant pairs (McNemar, Psychometrika 12, 1947; for comparing classifiers,
 * Dietterich, Neural Computation 10, 1998). Up to {@value #EXACT_LIMIT} discordant pairs the exact binomial test of
 * {@code b} successes in {@code b + c} trials at 1/2 (recommended for small counts by Fagerland et al., BMC Medical
 * Research Methodology 13:91, 2013); beyond, the chi-square statistic with Edwards' continuity correction
 * {@code (|b - c| - 1)^2 / (b + c)} on one degree of freedom.
 *
 * <p>Values: the Wilcoxon signed-rank test (Wilcoxon, Biometrics Bulletin 1, 1945) on the paired differences of
 * absolute errors, which needs no normality of errors (commons-statistics-inference: exact for small samples, normal
 * approximation with continuity correction beyond).
 */
final class ChampionGate {

    static final int EXACT_LIMIT = 10_000;

    private final double margin;
    private final double alpha;

    ChampionGate(double margin, double alpha) {
        this.margin = margin;
        this.alpha = alpha;
    }

    GateDecision decide(Map<String, Comparison> comparisons) {
        List<Comparison> all = new ArrayList<>(comparisons.values());
        if (all.isEmpty()) {
            return new GateDecision(true, margin, alpha, all, "no champion to beat");
        }
        for (Comparison comparison : all) {
            if (!comparison.wins()) {
                return new GateDecision(false, margin, alpha, all, String.format(java.util.Locale.ROOT,
                        "challenger does not beat %s: error %.4f vs %.4f (improvement %.4f, margin %.4f), %s p=%.4g "
                                + "(alpha %.4g)", comparison.champion(), comparison.challengerError(),
                        comparison.championError(), comparison.improvement(), margin, comparison.test(),
                        comparison.pValue(), alpha));
            }
        }
        return new GateDecision(true, margin, alpha, all, "challenger beats every champion by the margin, significantly");
    }

    /** Both predicted the same rows; {@code labels} are the true class indices. */
    Comparison classification(String champion, double[] labels, Prediction[] challenger, Prediction[] other) {
        int both = 0;
        int challengerOnly = 0;
        int championOnly = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean challengerRight = challenger[i].hasValue() && challenger[i].predictedClass() == (int) labels[i];
            boolean championRight = other[i].hasValue() && other[i].predictedClass() == (int) labels[i];
            if (challengerRight && championRight) {
                both++;
            } else if (challengerRight) {
                challengerOnly++;
            } else if (championRight) {
                championOnly++;
            }
        }
        double challengerError = 1 - (both + challengerOnly) / (double) labels.length;
        double championError = 1 - (both + championOnly) / (double) labels.length;
        int discordant = challengerOnly + championOnly;
        String test;
        double statistic;
        double p;
        if (discordant == 0) {
            test = "mcnemar-exact";
            statistic = 0;
            p = 1;
        } else if (discordant <= EXACT_LIMIT) {
            test = "mcnemar-exact";
            statistic = challengerOnly;
            p = BinomialTest.withDefaults().with(AlternativeHypothesis.TWO_SIDED).test(discordant, challengerOnly, 0.5)
                    .getPValue();
        } else {
            test = "mcnemar-chi2-cc";
            double difference = Math.abs(challengerOnly - championOnly) - 1.0;
            statistic = difference * difference / discordant;
            p = ChiSquaredDistribution.of(1).survivalProbability(statistic);
        }
        return comparison(champion, challengerError, championError, test, statistic, p);
    }

    /**
     * @param fallback the value counted for a champion that could not predict a row yet ({@link Prediction#hasValue}
     *                 false), e.g. the training mean
     */
    Comparison regression(String champion, double[] labels, Prediction[] challenger, Prediction[] other,
            double fallback) {
        double[] differences = new double[labels.length];
        double challengerSum = 0;
        double championSum = 0;
        boolean allZero = true;
        for (int i = 0; i < labels.length; i++) {
            double challengerError = Math.abs(labels[i] - value(challenger[i], fallback));
            double championError = Math.abs(labels[i] - value(other[i], fallback));
            challengerSum += challengerError;
            championSum += championError;
            differences[i] = championError - challengerError;
            allZero &= differences[i] == 0;
        }
        double statistic = 0;
        double p = 1;
        if (!allZero) {
            WilcoxonSignedRankTest.Result result = WilcoxonSignedRankTest.withDefaults()
                    .with(AlternativeHypothesis.TWO_SIDED).test(differences);
            statistic = result.getStatistic();
            p = result.getPValue();
        }
        return comparison(champion, challengerSum / labels.length, championSum / labels.length, "wilcoxon-signed-rank",
                statistic, p);
    }

    private Comparison comparison(String champion, double challengerError, double championError, String test,
            double statistic, double p) {
        double improvement = championError > 0 ? 1 - challengerError / championError
                : challengerError > 0 ? -1 : 0;
        boolean wins = challengerError < championError && improvement >= margin && p < alpha;
        return new Comparison(champion, challengerError, championError, improvement, test, statistic, p, wins);
    }

    private static double value(Prediction prediction, double fallback) {
        return prediction.hasValue() ? prediction.value() : fallback;
    }
}
