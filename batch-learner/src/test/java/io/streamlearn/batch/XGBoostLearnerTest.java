package io.streamlearn.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamlearn.core.learn.Explanation;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class XGBoostLearnerTest {

    @Test
    void shapContributionsSumToTheMarginForTwoClasses() {
        assertSumsToMargin(SyntheticWindows.binary(1500, 2, 0.05));
    }

    @Test
    void shapContributionsSumToTheMarginForSeveralClasses() {
        assertSumsToMargin(SyntheticWindows.multiclass(1500, 2));
    }

    @Test
    void shapContributionsSumToThePredictedValue() {
        LabeledWindow window = SyntheticWindows.regression(1500, 2);
        XGBoostLearner model = train(window);
        for (int i = 0; i < 20; i++) {
            Explanation explanation = model.explain(window.features().get(i));
            assertThat(explanation.margin()).isCloseTo(explanation.prediction().value(), within(1e-4));
        }
        assertSumsToMargin(window);
    }

    @Test
    void namesContributionsByThePipelinesOutputColumns() {
        LabeledWindow window = SyntheticWindows.binary(600, 2, 0);
        Explanation explanation = train(window).explain(window.features().get(0));

        assertThat(explanation.contributions().keySet())
                .containsExactly("x0", "x1", "x2", "x3", "color=red", "color=green", "color=blue");
    }

    @Test
    void aCopyExplainsAndPredictsExactlyAsTheOriginalWithABoosterOfItsOwn() {
        LabeledWindow window = SyntheticWindows.binary(600, 2, 0.05);
        XGBoostLearner model = train(window);

        XGBoostLearner copy = model.copy();

        assertThat(copy).isNotSameAs(model);
        assertThat(copy.snapshot()).isEqualTo(model.snapshot());
        for (int i = 0; i < 20; i++) {
            double[] features = window.features().get(i);
            Explanation original = model.explain(features);
            Explanation copied = copy.explain(features);
            assertThat(copied.baseValue()).isEqualTo(original.baseValue());
            assertThat(copied.contributions()).isEqualTo(original.contributions());
            assertThat(copied.margin()).isEqualTo(original.margin());
            assertThat(copied.prediction().scores()).isEqualTo(original.prediction().scores());
            assertThat(copy.predict(features).scores()).isEqualTo(model.predict(features).scores());
        }
    }

    @Test
    void doesNotLearnOnline() {
        LabeledWindow window = SyntheticWindows.binary(600, 2, 0);
        XGBoostLearner model = train(window);

        assertThatThrownBy(() -> model.learn(window.features().get(0), 1))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("trained by the retrainer");
    }

    @Test
    void learnerFactoryRefusesToCreateABatchModelForOnlineTraining() {
        assertThatThrownBy(() -> LearnerFactory.create("xgboost hist eta=0.1", SyntheticWindows.binarySchema()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trained by the retrainer");
    }

    @Test
    void aSnapshotWrittenByTheFirstFormatStillLoadsAndPredicts() throws Exception {
        byte[] encoded;
        try (var in = XGBoostLearnerTest.class.getResourceAsStream("/batch-snapshot-v1.slm")) {
            encoded = in.readAllBytes();
        }
        ModelSnapshot snapshot = ModelSnapshotCodec.decode(encoded);
        OnlineLearner restored = snapshot.restoreLearner();
        LabeledWindow window = SyntheticWindows.binary(600, 2, 0);

        assertThat(snapshot.metadata().isBatch()).isTrue();
        assertThat(restored).isInstanceOf(XGBoostLearner.class);
        int correct = 0;
        for (int i = 0; i < window.size(); i++) {
            correct += restored.predict(window.features().get(i)).predictedClass() == (int) window.labels()[i] ? 1 : 0;
        }
        assertThat(correct / (double) window.size()).isGreaterThan(0.9);
    }

    private static void assertSumsToMargin(LabeledWindow window) {
        XGBoostLearner model = train(window);
        for (int i = 0; i < 50; i++) {
            Explanation explanation = model.explain(window.features().get(i));
            double sum = explanation.baseValue()
                    + explanation.contributions().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(sum).isCloseTo(explanation.margin(), within(1e-4));
            assertThat(explanation.prediction().value())
                    .isEqualTo(model.predict(window.features().get(i)).value());
        }
    }

    private static XGBoostLearner train(LabeledWindow window) {
        return new RetrainPipeline(SyntheticWindows.quick().withSearch(1, 40, 0))
                .run(window, List.of(), TrialListener.none()).challenger();
    }
}
