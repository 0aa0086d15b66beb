package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.features.FeatureEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A snapshot, restored through the deserialization allow-list, is the same learner as the one that was saved. */
class LearnerSnapshotTest {

    private static final int TRAIN = 3000;
    private static final int PROBE = 300;
    private static final int MORE = 1000;

    @ParameterizedTest(name = "{0} on target {1}")
    @CsvSource({
            "trees.HoeffdingTree, class",
            "trees.HoeffdingAdaptiveTree, class",
            "meta.AdaptiveRandomForest -s 3, class",
            "lazy.kNN -k 10 -w 1000, class",
            "lazy.SAMkNN, class",
            "meta.OzaBag, class",
            "meta.LeveragingBag, class",
            "bayes.NaiveBayes, class",
            "functions.Perceptron, class",
            "trees.EFDT, class",
            "trees.FIMTDD, nswprice"
    })
    void restoredLearnerPredictsLikeTheOriginalBeforeAndAfterLearningMore(String spec, String target)
            throws Exception {
        Dataset data = Dataset.read(BundledDatasets.electricityArff(), "electricity", target);
        Encoded rows = Encoded.of(data, TRAIN + PROBE + MORE);
        OnlineLearner original = LearnerFactory.create(spec, data.schema());
        rows.learn(original, 0, TRAIN);

        OnlineLearner restored = LearnerFactory.restore(spec, data.schema(), original.snapshot());

        assertThat(restored.spec()).isEqualTo(spec);
        assertSamePredictions(original, restored, rows);
        rows.learn(original, TRAIN + PROBE, TRAIN + PROBE + MORE);
        rows.learn(restored, TRAIN + PROBE, TRAIN + PROBE + MORE);
        assertSamePredictions(original, restored, rows);
    }

    private static void assertSamePredictions(OnlineLearner original, OnlineLearner restored, Encoded rows) {
        for (int i = TRAIN; i < TRAIN + PROBE; i++) {
            Prediction expected = original.predict(rows.features().get(i));
            Prediction actual = restored.predict(rows.features().get(i));
            assertThat(actual.value()).as("prediction for row %d", i).isEqualTo(expected.value());
            assertThat(actual.scores()).as("scores for row %d", i).containsExactly(expected.scores());
        }
    }

    private record Encoded(List<double[]> features, List<Double> labels) {

        static Encoded of(Dataset data, int count) throws InvalidRecordException {
            FeatureEncoder encoder = new FeatureEncoder(data.schema());
            EventCodec codec = new EventCodec();
            List<double[]> features = new ArrayList<>();
            List<Double> labels = new ArrayList<>();
            for (LabeledRow row : data.rows().subList(0, count)) {
                features.add(encoder.encodeFeatures(codec.json().valueToTree(row.features())));
                labels.add(encoder.encodeLabel(codec.json().valueToTree(row.label())));
            }
            return new Encoded(features, labels);
        }

        void learn(OnlineLearner learner, int from, int to) {
            for (int i = from; i < to; i++) {
                learner.learn(features.get(i), labels.get(i));
            }
        }
    }
}
