package io.streamlearn.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.learn.Prediction;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChampionGateTest {

    private static final ChampionGate GATE = new ChampionGate(0.02, 0.05);

    @Test
    void refusesAnEqualChallenger() {
        double[] labels = labels(500);
        Prediction[] same = classes(labels, 0.2, 1);

        Comparison comparison = GATE.classification("online", labels, same, same);

        assertThat(comparison.wins()).isFalse();
        assertThat(comparison.pValue()).isEqualTo(1.0);
        assertThat(GATE.decide(Map.of("online", comparison)).promote()).isFalse();
    }

    @Test
    void refusesAWorseChallengerThoughItsDifferenceIsSignificant() {
        double[] labels = labels(2000);

        Comparison comparison = GATE.classification("online", labels, classes(labels, 0.3, 1), classes(labels, 0.1, 2));

        assertThat(comparison.pValue()).isLessThan(1e-6);
        assertThat(comparison.wins()).isFalse();
        assertThat(comparison.improvement()).isNegative();
    }

    @Test
    void acceptsAClearlyBetterChallenger() {
        double[] labels = labels(2000);

        Comparison comparison = GATE.classification("online", labels, classes(labels, 0.1, 1), classes(labels, 0.3, 2));

        assertThat(comparison.test()).isEqualTo("mcnemar-exact");
        assertThat(comparison.pValue()).isLessThan(1e-6);
        assertThat(comparison.wins()).isTrue();
        assertThat(GATE.decide(Map.of("online", comparison)).promote()).isTrue();
    }

    @Test
    void refusesASlightlyBetterChallengerBelowTheMarginOrNotSignificant() {
        double[] labels = labels(200);

        Comparison comparison = GATE.classification("online", labels, classes(labels, 0.19, 1),
                classes(labels, 0.2, 2));

        assertThat(comparison.wins()).isFalse();
    }

    @Test
    void usesTheContinuityCorrectedChiSquareForManyDiscordantPairs() {
        double[] labels = labels(60_000);

        Comparison comparison = GATE.classification("online", labels, classes(labels, 0.2, 1),
                classes(labels, 0.25, 2));

        assertThat(comparison.test()).isEqualTo("mcnemar-chi2-cc");
        assertThat(comparison.wins()).isTrue();
    }

    @Test
    void comparesAbsoluteErrorsOfValuesWithWilcoxon() {
        SplittableRandom random = new SplittableRandom(4);
        double[] labels = new double[300];
        Prediction[] close = new Prediction[300];
        Prediction[] far = new Prediction[300];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextGaussian();
            close[i] = Prediction.regression(labels[i] + 0.1 * random.nextGaussian());
            far[i] = Prediction.regression(labels[i] + random.nextGaussian());
        }

        assertThat(GATE.regression("online", labels, close, far, 0).wins()).isTrue();
        assertThat(GATE.regression("online", labels, far, close, 0).wins()).isFalse();
        assertThat(GATE.regression("online", labels, close, close, 0).pValue()).isEqualTo(1.0);
    }

    @Test
    void mustBeatEveryChampion() {
        double[] labels = labels(2000);
        Prediction[] challenger = classes(labels, 0.1, 1);
        Comparison online = GATE.classification("online", labels, challenger, classes(labels, 0.3, 2));
        Comparison batch = GATE.classification("batch", labels, challenger, classes(labels, 0.1, 3));

        GateDecision decision = GATE.decide(Map.of("online", online, "batch", batch));

        assertThat(decision.promote()).isFalse();
        assertThat(decision.reason()).contains("batch");
    }

    private static double[] labels(int n) {
        SplittableRandom random = new SplittableRandom(9);
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(2);
        }
        return labels;
    }

    /** Predictions wrong on a share of rows drawn with this seed. */
    private static Prediction[] classes(double[] labels, double errorRate, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Prediction[] predictions = new Prediction[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int predicted = random.nextDouble() < errorRate ? 1 - (int) labels[i] : (int) labels[i];
            predictions[i] = new Prediction(predicted, predicted == 0 ? new double[] {1, 0} : new double[] {0, 1});
        }
        return predictions;
    }
}
