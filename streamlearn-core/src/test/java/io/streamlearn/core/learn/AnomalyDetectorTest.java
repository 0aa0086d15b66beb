package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Half-Space Trees behind {@link OnlineLearner}, on a stream with injected anomalies (fixed seed). */
class AnomalyDetectorTest {

    static final FeatureSchema SCHEMA = new FeatureSchema("sensors",
            FeatureSpec.nominal("anomaly", List.of("normal", "anomaly")),
            List.of(FeatureSpec.numeric("a"), FeatureSpec.numeric("b"), FeatureSpec.numeric("c"),
                    FeatureSpec.numeric("d")), List.of(), Task.ANOMALY);

    /** Normal events around (0.3, 0.3, 0.3, 0.3) in [0, 1]; every 50th event after the first 1000 sits far away. */
    static List<double[]> stream(int events, long seed) {
        Random random = new Random(seed);
        List<double[]> rows = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            boolean anomaly = i >= 1000 && i % 50 == 0;
            double[] row = new double[5];
            for (int f = 0; f < 4; f++) {
                double centre = anomaly ? 0.9 : 0.3;
                row[f] = Math.min(1, Math.max(0, centre + random.nextGaussian() * 0.05));
            }
            row[4] = anomaly ? 1 : 0;
            rows.add(row);
        }
        return rows;
    }

    static double[] features(double[] row) {
        return java.util.Arrays.copyOf(row, 4);
    }

    @Test
    void halfSpaceTreesScoreInjectedAnomaliesHigherThanNormalEvents() {
        OnlineLearner detector = LearnerFactory.create(LearnerFactory.DEFAULT_ANOMALY_SPEC, SCHEMA);
        PrequentialEvaluator evaluator = PrequentialEvaluator.forSchema(SCHEMA, 2000);
        double anomalySum = 0;
        double normalSum = 0;
        int anomalies = 0;
        int normals = 0;
        int index = 0;
        for (double[] row : stream(6000, 42)) {
            Prediction prediction = detector.predict(features(row));
            evaluator.record(row[4], prediction);
            evaluator.observe(prediction);
            detector.observe(features(row));
            if (index++ >= 1000) {
                if (row[4] == 1) {
                    anomalySum += prediction.value();
                    anomalies++;
                } else {
                    normalSum += prediction.value();
                    normals++;
                }
            }
        }
        assertThat(anomalySum / anomalies).isGreaterThan(normalSum / normals + 0.1);
        Evaluation evaluation = evaluator.evaluation();
        assertThat(evaluation.rocAuc()).isGreaterThan(0.95);
        assertThat(evaluation.precisionAtK()).isGreaterThan(0.8);
        assertThat(evaluation.instances()).isEqualTo(6000);
        // The default rule alerts on the top 1 % of recent scores: about the injected 2 %, capped by the rate.
        assertThat(evaluation.alerts()).isBetween(20L, 150L);
    }

    @Test
    void restoredDetectorScoresAsTheOriginal() {
        OnlineLearner detector = LearnerFactory.create(LearnerFactory.DEFAULT_ANOMALY_SPEC, SCHEMA);
        List<double[]> rows = stream(3000, 7);
        for (double[] row : rows.subList(0, 2000)) {
            detector.observe(features(row));
        }
        OnlineLearner restored = LearnerFactory.restore(detector.spec(), SCHEMA, detector.snapshot());
        for (double[] row : rows.subList(2000, 3000)) {
            assertThat(restored.predict(features(row)).value()).isEqualTo(detector.predict(features(row)).value());
            detector.observe(features(row));
            restored.observe(features(row));
        }
    }

    @Test
    void refusesALearnerThatIsNoAnomalyDetector() {
        assertThatThrownBy(() -> LearnerFactory.create("trees.HoeffdingTree", SCHEMA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no anomaly detector");
        // MOA's Autoencoder needs commons-math3, which the MOA dependency leaves out: a clear refusal, not a crash.
        assertThatThrownBy(() -> LearnerFactory.create("oneclass.Autoencoder", SCHEMA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oneclass.Autoencoder");
    }

    @Test
    void schemaDeclaresTheTaskInItsJsonAndRoundTrips() {
        String json = SCHEMA.toJson();
        assertThat(json).contains("\"task\" : \"anomaly\"");
        assertThat(FeatureSchema.fromJson(json)).isEqualTo(SCHEMA);
        assertThat(SCHEMA.withTask(null).toJson()).doesNotContain("task");
        assertThatThrownBy(() -> new FeatureSchema("m", FeatureSpec.numeric("y"), List.of(FeatureSpec.numeric("x")),
                List.of(), Task.ANOMALY)).hasMessageContaining("two values");
    }
}
