package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.features.FeatureEncoder;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import moa.evaluation.preview.LearningCurve;
import moa.tasks.EvaluatePrequential;
import moa.tasks.NullMonitor;
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
        Path arff = gunzip(BundledDatasets.electricityArff(), tempDir.resolve("electricity.arff"));

        MoaScore moa = moaPrequential(arff, "trees.HoeffdingTree");
        long ours = prequentialCorrect(electricity, "trees.HoeffdingTree");

        assertThat(moa.instances()).isEqualTo(45_312);
        assertThat(ours).isEqualTo(moa.correct());
    }

    /** What MOA's prequential task reports at the end of the stream: instances seen and how many were correct. */
    private record MoaScore(long instances, long correct) {
    }

    private static MoaScore moaPrequential(Path arff, String learner) {
        EvaluatePrequential task = new EvaluatePrequential();
        task.getOptions().setViaCLIString("-s (ArffFileStream -f " + arff + ") -l " + learner
                + " -e BasicClassificationPerformanceEvaluator");
        task.prepareForUse();
        LearningCurve curve = (LearningCurve) task.doTask(new NullMonitor(), null);
        int last = curve.numEntries() - 1;
        double instances = curve.getMeasurement(last, measurement(curve, "learning evaluation instances"));
        double percent = curve.getMeasurement(last, measurement(curve, "classifications correct (percent)"));
        return new MoaScore(Math.round(instances), Math.round(percent * instances / 100.0));
    }

    private static int measurement(LearningCurve curve, String name) {
        for (int i = 0; i < curve.getMeasurementNameCount(); i++) {
            if (curve.getMeasurementName(i).equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("MOA's learning curve has no measurement '" + name + "'");
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

    private static Path gunzip(Path gz, Path target) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz));
             OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
        return target;
    }
}
