package io.streamlearn.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.OnlineLearner;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A snapshot written by format version 1 (a HoeffdingTree after the first 2,000 Electricity rows, committed as a test
 * resource) must keep loading and predicting the same in every later build, as Tribuo does for its serialized models.
 * {@link #main} wrote it.
 */
class FormatV1SnapshotTest {

    private static final String FIXTURE = "/snapshots/electricity-hoeffdingtree-format1.slm";
    /** Predicted classes of rows 2000, 2100, ..., 2900, recorded when the fixture was written. */
    private static final List<Integer> RECORDED_PREDICTIONS = List.of(0, 1, 1, 1, 0, 0, 1, 0, 0, 1);

    @Test
    void aFormatOneSnapshotStillLoadsAndPredictsAsWhenItWasWritten() throws Exception {
        byte[] bytes;
        try (InputStream in = FormatV1SnapshotTest.class.getResourceAsStream(FIXTURE)) {
            assertThat(in).as(FIXTURE).isNotNull();
            bytes = in.readAllBytes();
        }
        ModelSnapshot snapshot = ModelSnapshotCodec.decode(bytes);
        assertThat(snapshot.metadata().formatVersion()).isEqualTo(1);
        assertThat(snapshot.metadata().model()).isEqualTo("electricity");
        assertThat(snapshot.metadata().learnerSpec()).isEqualTo("trees.HoeffdingTree");
        assertThat(snapshot.metadata().eventsSeen()).isEqualTo(2000);
        assertThat(predictions(snapshot.restoreLearner())).isEqualTo(RECORDED_PREDICTIONS);
    }

    private static List<Integer> predictions(OnlineLearner learner) throws Exception {
        Dataset electricity = Dataset.read(BundledDatasets.electricityArff(), "electricity", null);
        FeatureEncoder encoder = new FeatureEncoder(electricity.schema());
        EventCodec codec = new EventCodec();
        List<Integer> classes = new ArrayList<>();
        for (int row = 2000; row < 3000; row += 100) {
            LabeledRow data = electricity.rows().get(row);
            var event = codec.decodeEvent(codec.encodeEvent("r" + row, 0, "electricity", data), null, 0);
            classes.add(learner.predict(encoder.encodeFeatures(event.features())).predictedClass());
        }
        return classes;
    }

    /**
     * Writes a new fixture into the directory given as the first argument; run by hand, only when the snapshot format
     * changes on purpose (then add a new fixture next to this one rather than replacing it).
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Dataset electricity = Dataset.read(BundledDatasets.electricityArff(), "electricity", null);
        OnlineLearner learner = io.streamlearn.core.learn.LearnerFactory.create("trees.HoeffdingTree",
                electricity.schema());
        FeatureEncoder encoder = new FeatureEncoder(electricity.schema());
        EventCodec codec = new EventCodec();
        for (int row = 0; row < 2000; row++) {
            var event = codec.decodeEvent(codec.encodeEvent("r" + row, 0, "electricity", electricity.rows().get(row)),
                    null, 0);
            learner.learn(encoder.encodeFeatures(event.features()), encoder.encodeLabel(event.label()));
        }
        ModelMetadata metadata = new ModelMetadata("electricity", 1, "trees.HoeffdingTree", electricity.schema(),
                java.util.Map.of("events-0", 2000L), 2000, 2000, null, 1_764_000_000_000L, 1);
        Files.write(dir.resolve("electricity-hoeffdingtree-format1.slm"),
                ModelSnapshotCodec.encode(new ModelSnapshot(metadata, learner.snapshot())));
        System.out.println("predictions " + predictions(learner));
    }
}
