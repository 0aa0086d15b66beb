package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.MoaReference;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.features.FeatureEncoder;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle: a learner fed through our event JSON, {@link FeatureEncoder} and {@link MoaLearner} must score exactly
 * as MOA's own {@code EvaluatePrequential} task scores the same learner on the same ARFF file read by MOA's own
 * {@code ArffFileStream}.
 */
class MoaLearnerTest {

    private static final String MODEL = "electricity";

    private static Dataset electricity;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void readElectricity() throws Exception {
        electricity = Dataset.read(BundledDatasets.electricityArff(), MODEL, null);
    }

    @Test
    void hoeffdingTreeFedThroughOurEncodingScoresExactlyAsMoasOwnPrequentialTask() throws Exception {
        MoaReference.Score moa = MoaReference.prequential(BundledDatasets.electricityArff(), "trees.HoeffdingTree",
                tempDir);
        long ours = prequentialCorrect(electricity, "trees.HoeffdingTree");

        assertThat(moa.instances()).isEqualTo(45_312);
        assertThat(ours).isEqualTo(moa.correct());
    }

    /** Test-then-train over every row, each row travelling as the event JSON a producer would write. */
    private static long prequentialCorrect(Dataset dataset, String spec) throws Exception {
        OnlineLearner learner = LearnerFactory.create(spec, dataset.schema());
        FeatureEncoder encoder = new FeatureEncoder(dataset.schema());
        EventCodec codec = new EventCodec();
        long correct = 0;
        long offset = 0;
        for (LabeledRow row : dataset.rows()) {
            byte[] json = codec.encodeEvent(Long.toString(offset), offset, MODEL, row);
            Event event = codec.decodeEvent(json, MODEL, offset++);
            double[] features = encoder.encodeFeatures(event.features());
            double label = encoder.encodeLabel(event.label());
            if (learner.predict(features).predictedClass() == (int) label) {
                correct++;
            }
            learner.learn(features, label);
        }
        return correct;
    }

}
