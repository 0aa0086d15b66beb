package io.streamlearn.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamlearn.core.learn.Prediction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The anomaly, cluster and fading-factor figures against hand-computed values. */
class UnsupervisedEvaluatorTest {

    @Test
    void rocAucAndPrecisionAtKOfAnomalyScores() {
        AnomalyEvaluator evaluator = new AnomalyEvaluator(10, AlertRule.threshold(0.75));
        // scores 0.9 (anomaly), 0.8 (normal), 0.7 (anomaly), 0.1, 0.2 (normal)
        double[][] events = {{0.9, 1}, {0.8, 0}, {0.7, 1}, {0.1, 0}, {0.2, 0}};
        int alerts = 0;
        for (double[] event : events) {
            evaluator.record(event[1], Prediction.anomaly(event[0]));
            alerts += evaluator.observe(Prediction.anomaly(event[0])) ? 1 : 0;
        }
        Evaluation evaluation = evaluator.evaluation();
        // Pairs (anomaly, normal) ranked right: 0.9 beats all 3, 0.7 beats 0.1 and 0.2: 5 of 6.
        assertThat(evaluation.rocAuc()).isCloseTo(5.0 / 6, within(1e-12));
        // k = 2 anomalies; the top 2 scores hold one of them.
        assertThat(evaluation.precisionAtK()).isEqualTo(0.5);
        assertThat(alerts).isEqualTo(2);
        assertThat(evaluation.alerts()).isEqualTo(2);
        assertThat(evaluation.instances()).isEqualTo(5);
    }

    @Test
    void tiedScoresCountOneHalf() {
        AnomalyEvaluator evaluator = new AnomalyEvaluator(10, AlertRule.topRate(0.1));
        evaluator.record(1, Prediction.anomaly(0.5));
        evaluator.record(0, Prediction.anomaly(0.5));
        assertThat(evaluator.evaluation().rocAuc()).isEqualTo(0.5);
    }

    @Test
    void topRateAlertsOnlyAboveTheRecentQuantileAfterWarmUp() {
        AnomalyEvaluator evaluator = new AnomalyEvaluator(1000, AlertRule.topRate(0.05));
        int early = 0;
        for (int i = 0; i < AlertRule.WARM_UP; i++) {
            early += evaluator.observe(Prediction.anomaly(i)) ? 1 : 0;
        }
        assertThat(early).isZero();
        assertThat(evaluator.observe(Prediction.anomaly(1000))).isTrue();
        assertThat(evaluator.observe(Prediction.anomaly(50))).isFalse();
    }

    @Test
    void clusterQualityFromDistancesToTheNearestAndSecondCentre() {
        ClusterEvaluator evaluator = new ClusterEvaluator(2);
        evaluator.observe(Prediction.cluster(0, 1, 3));   // squared 1, silhouette (3-1)/3
        evaluator.observe(Prediction.cluster(1, 2, 2));   // squared 4, silhouette 0
        evaluator.observe(Prediction.cluster(1, 0, 4));   // squared 0, silhouette 1
        evaluator.observe(Prediction.none());
        Evaluation evaluation = evaluator.evaluation();
        assertThat(evaluation.instances()).isEqualTo(3);
        assertThat(evaluation.ssq()).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(evaluation.silhouette()).isCloseTo((2.0 / 3 + 0 + 1) / 3, within(1e-12));
        assertThat(evaluation.window().ssq()).isCloseTo(2.0, within(1e-12));
        assertThat(evaluation.window().clusters()).isEqualTo(1);
    }

    @Test
    void fadingFactorAccuracyFollowsGamaEtAl() {
        ClassificationEvaluator evaluator = new ClassificationEvaluator(List.of("a", "b"), 10, 0.5);
        evaluator.record(0, new Prediction(0, new double[] {1, 0}));  // hit:  S = 1, N = 1
        evaluator.record(0, new Prediction(1, new double[] {0, 1}));  // miss: S = 0.5, N = 1.5
        evaluator.record(1, new Prediction(1, new double[] {0, 1}));  // hit:  S = 1.25, N = 1.75
        Evaluation evaluation = evaluator.evaluation();
        assertThat(evaluation.fadingFactor()).isEqualTo(0.5);
        assertThat(evaluation.fading().accuracy()).isCloseTo(1.25 / 1.75, within(1e-12));
        assertThat(evaluation.accuracy()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void regressionCarriesFadedErrorsAndResidualQuantiles() {
        RegressionEvaluator evaluator = new RegressionEvaluator(20, 0.5);
        for (int i = 1; i <= 20; i++) {
            evaluator.record(i, Prediction.regression(0));   // residual i
        }
        Evaluation evaluation = evaluator.evaluation();
        // Nearest rank over residuals 1..20: p05 = 1, p25 = 5, p50 = 10, p75 = 15, p95 = 19.
        assertThat(evaluation.residuals()).isEqualTo(new Evaluation.Residuals(1, 5, 10, 15, 19));
        // Faded MAE with α = 0.5 over 1..20: Σ i 0.5^(20-i) / Σ 0.5^(20-i).
        double sum = 0;
        double count = 0;
        for (int i = 1; i <= 20; i++) {
            sum += i * Math.pow(0.5, 20 - i);
            count += Math.pow(0.5, 20 - i);
        }
        assertThat(evaluation.fading().mae()).isCloseTo(sum / count, within(1e-9));
    }
}
