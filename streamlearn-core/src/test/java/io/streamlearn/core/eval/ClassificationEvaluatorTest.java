package io.streamlearn.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.learn.SafeSerialization;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationEvaluatorTest {

    private static final double EPSILON = 1e-12;

    @Test
    void computesAccuracyKappaAndPerClassScoresOfAConfusionMatrix() {
        PrequentialEvaluator evaluator = evaluator(List.of("a", "b", "c"), 100);
        // (true, predicted) counts: a->a 3, a->b 2, b->b 2, b->c 1, c->c 2, c->a 1
        record(evaluator, 0, 0, 3);
        record(evaluator, 0, 1, 2);
        record(evaluator, 1, 1, 2);
        record(evaluator, 1, 2, 1);
        record(evaluator, 2, 2, 2);
        record(evaluator, 2, 0, 1);

        Evaluation evaluation = evaluator.evaluation();

        assertThat(evaluation.instances()).isEqualTo(11);
        assertThat(evaluation.correct()).isEqualTo(7);
        assertThat(evaluation.accuracy()).isCloseTo(7.0 / 11, within(EPSILON));
        // p0 = 77/121, chance = (5*4 + 3*4 + 3*3)/121 = 41/121, kappa = (77 - 41) / (121 - 41)
        assertThat(evaluation.kappa()).isCloseTo(36.0 / 80, within(EPSILON));
        assertClassScores(evaluation.perClass().get(0), "a", 3.0 / 4, 3.0 / 5, 2.0 / 3);
        assertClassScores(evaluation.perClass().get(1), "b", 2.0 / 4, 2.0 / 3, 4.0 / 7);
        assertClassScores(evaluation.perClass().get(2), "c", 2.0 / 3, 2.0 / 3, 2.0 / 3);
    }

    @Test
    void slidingWindowForgetsInstancesOlderThanTheWindow() {
        PrequentialEvaluator evaluator = evaluator(List.of("a", "b"), 4);
        record(evaluator, 0, 1, 4);
        record(evaluator, 0, 0, 4);

        Evaluation evaluation = evaluator.evaluation();

        assertThat(evaluation.accuracy()).isEqualTo(0.5);
        assertThat(evaluation.windowSize()).isEqualTo(4);
        assertThat(evaluation.window().instances()).isEqualTo(4);
        assertThat(evaluation.window().accuracy()).isEqualTo(1.0);
        assertThat(evaluation.window().perClass().get(0).recall()).isEqualTo(1.0);
    }

    @Test
    void windowHoldsEveryInstanceUntilItIsFull() {
        PrequentialEvaluator evaluator = evaluator(List.of("a", "b"), 4);
        record(evaluator, 0, 1, 1);
        record(evaluator, 0, 0, 2);

        assertThat(evaluator.evaluation().window().instances()).isEqualTo(3);
        assertThat(evaluator.evaluation().window().accuracy()).isCloseTo(2.0 / 3, within(EPSILON));
    }

    @Test
    void rocAucOfScoresThatRankEveryPositiveFirstIsOne() {
        PrequentialEvaluator evaluator = evaluator(List.of("a", "b"), 100);
        for (double score : new double[] {0.9, 0.8, 0.7}) {
            evaluator.record(0, new Prediction(0, new double[] {score, 1 - score}));
            evaluator.record(1, new Prediction(1, new double[] {1 - score, score}));
        }

        assertThat(evaluator.evaluation().rocAuc()).isEqualTo(1.0);
    }

    @Test
    void rocAucOfInvertedScoresIsZero() {
        PrequentialEvaluator evaluator = evaluator(List.of("a", "b"), 100);
        for (double score : new double[] {0.9, 0.8, 0.7}) {
            evaluator.record(0, new Prediction(1, new double[] {1 - score, score}));
            evaluator.record(1, new Prediction(0, new double[] {score, 1 - score}));
        }

        assertThat(evaluator.evaluation().rocAuc()).isEqualTo(0.0);
    }

    @Test
    void rocAucIsAbsentUntilAClassHasBothPositivesAndNegatives() {
        PrequentialEvaluator evaluator = evaluator(List.of("a", "b"), 100);

        assertThat(evaluator.evaluation().rocAuc()).isNull();
    }

    @Test
    void survivesACheckpointThroughTheDeserializationAllowList() {
        PrequentialEvaluator evaluator = evaluator(List.of("a", "b"), 4);
        record(evaluator, 0, 0, 3);
        record(evaluator, 1, 0, 2);

        PrequentialEvaluator restored = SafeSerialization.deserialize(SafeSerialization.serialize(evaluator),
                PrequentialEvaluator.class);

        assertThat(restored.evaluation()).isEqualTo(evaluator.evaluation());
    }

    private static PrequentialEvaluator evaluator(List<String> classes, int window) {
        FeatureSchema schema = new FeatureSchema("m", FeatureSpec.nominal("y", classes),
                List.of(FeatureSpec.numeric("x")));
        return PrequentialEvaluator.forSchema(schema, window);
    }

    /** Records {@code times} instances of class {@code trueClass} predicted as {@code predicted}, fully confident. */
    private static void record(PrequentialEvaluator evaluator, int trueClass, int predicted, int times) {
        double[] scores = new double[3];
        scores[predicted] = 1.0;
        for (int i = 0; i < times; i++) {
            evaluator.record(trueClass, new Prediction(predicted, scores));
        }
    }

    private static void assertClassScores(Evaluation.ClassScores scores, String label, double precision,
            double recall, double f1) {
        assertThat(scores.label()).isEqualTo(label);
        assertThat(scores.precision()).as("precision of %s", label).isCloseTo(precision, within(EPSILON));
        assertThat(scores.recall()).as("recall of %s", label).isCloseTo(recall, within(EPSILON));
        assertThat(scores.f1()).as("F1 of %s", label).isCloseTo(f1, within(EPSILON));
    }
}
