package io.streamlearn.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionEvaluatorTest {

    private static final double EPSILON = 1e-12;

    @Test
    void computesMaeMseRmseAndR2() {
        PrequentialEvaluator evaluator = evaluator(100);
        // labels 1, 2, 3, 4 predicted as 1.5, 2, 2, 5: errors -0.5, 0, 1, -1
        record(evaluator, new double[] {1, 2, 3, 4}, new double[] {1.5, 2, 2, 5});

        Evaluation evaluation = evaluator.evaluation();

        assertThat(evaluation.instances()).isEqualTo(4);
        assertThat(evaluation.mae()).isCloseTo(2.5 / 4, within(EPSILON));
        assertThat(evaluation.mse()).isCloseTo(2.25 / 4, within(EPSILON));
        assertThat(evaluation.rmse()).isCloseTo(0.75, within(EPSILON));
        // SST around the mean 2.5 is 2.25 + 0.25 + 0.25 + 2.25 = 5; R² = 1 - 2.25 / 5
        assertThat(evaluation.r2()).isCloseTo(0.55, within(EPSILON));
        assertThat(evaluation.accuracy()).isNull();
    }

    @Test
    void slidingWindowForgetsInstancesOlderThanTheWindow() {
        PrequentialEvaluator evaluator = evaluator(2);
        record(evaluator, new double[] {10, 20, 1, 3}, new double[] {0, 0, 1, 2});

        Evaluation window = evaluator.evaluation().window();

        assertThat(window.instances()).isEqualTo(2);
        assertThat(window.mae()).isCloseTo(0.5, within(EPSILON));
        assertThat(window.mse()).isCloseTo(0.5, within(EPSILON));
        // window labels 1 and 3 around their mean 2: SST 2; R² = 1 - 1 / 2
        assertThat(window.r2()).isCloseTo(0.5, within(EPSILON));
        assertThat(evaluator.evaluation().mae()).isCloseTo(31.0 / 4, within(EPSILON));
    }

    @Test
    void leavesAnInstanceWithoutPredictionUnscoredAsMoaDoes() {
        PrequentialEvaluator evaluator = evaluator(10);
        record(evaluator, new double[] {7, 1, 3}, new double[] {Double.NaN, 2, 2});

        Evaluation evaluation = evaluator.evaluation();

        assertThat(evaluation.instances()).isEqualTo(2);
        assertThat(evaluation.mae()).isCloseTo(1.0, within(EPSILON));
        assertThat(evaluation.window().instances()).isEqualTo(2);
    }

    @Test
    void reportsZerosBeforeTheFirstLabel() {
        Evaluation evaluation = evaluator(10).evaluation();

        assertThat(evaluation.instances()).isZero();
        assertThat(evaluation.mae()).isZero();
        assertThat(evaluation.r2()).isZero();
    }

    private static PrequentialEvaluator evaluator(int window) {
        FeatureSchema schema = new FeatureSchema("m", FeatureSpec.numeric("y"), List.of(FeatureSpec.numeric("x")));
        return PrequentialEvaluator.forSchema(schema, window);
    }

    private static void record(PrequentialEvaluator evaluator, double[] labels, double[] predictions) {
        for (int i = 0; i < labels.length; i++) {
            evaluator.record(labels[i], Prediction.regression(predictions[i]));
        }
    }
}
