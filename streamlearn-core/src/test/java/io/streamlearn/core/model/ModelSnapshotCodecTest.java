package io.streamlearn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSnapshotCodecTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema("weather",
            FeatureSpec.nominal("play", List.of("yes", "no")),
            List.of(FeatureSpec.numeric("temp"),
                    new FeatureSpec("sky", FeatureType.NOMINAL, List.of("sun", "rain"), MissingPolicy.DEFAULT, "sun")));

    @Test
    void roundTripsMetadataAndALearnerThatStillPredictsTheSame() {
        OnlineLearner learner = trainedLearner();
        ModelSnapshot snapshot = new ModelSnapshot(metadata(), learner.snapshot());

        byte[] encoded = ModelSnapshotCodec.encode(snapshot);
        ModelSnapshot decoded = ModelSnapshotCodec.decode(encoded);

        assertThat(decoded.metadata()).isEqualTo(snapshot.metadata());
        assertThat(decoded.learnerState()).isEqualTo(snapshot.learnerState());
        assertThat(ModelSnapshotCodec.decodeMetadata(encoded)).isEqualTo(snapshot.metadata());
        OnlineLearner restored = decoded.restoreLearner();
        for (double temp = 0; temp < 30; temp += 2.5) {
            double[] features = {temp, temp > 15 ? 0 : 1};
            assertThat(restored.predict(features).scores()).containsExactly(learner.predict(features).scores());
        }
    }

    @Test
    void keepsTheOriginAndProvenanceOfABatchModel() {
        ModelMetadata online = metadata();
        Map<String, Object> provenance = new java.util.LinkedHashMap<>();
        provenance.put("runId", "run-7");
        provenance.put("trigger", null);
        provenance.put("data", List.of(Map.of("topic", "events", "partition", 0, "from", 10, "to", 2000)));
        ModelMetadata batch = new ModelMetadata(online.model(), 1_714_557_600_123L, "xgboost", SCHEMA, Map.of(),
                0, 1990, null, 1_714_557_600_123L, ModelSnapshotCodec.FORMAT_VERSION, ModelMetadata.BATCH,
                provenance);

        ModelMetadata decoded = ModelSnapshotCodec.decodeMetadata(
                ModelSnapshotCodec.encode(new ModelSnapshot(batch, new byte[] {1, 2})));

        assertThat(decoded.isBatch()).isTrue();
        assertThat(decoded.provenance()).containsEntry("runId", "run-7").containsEntry("trigger", null)
                .containsKey("data");
        assertThat(online.isBatch()).isFalse();
        assertThat(online.origin()).isEqualTo(ModelMetadata.ONLINE);
    }

    @Test
    void refusesBytesWithoutTheMagic() {
        byte[] bytes = "not a snapshot at all".getBytes(StandardCharsets.US_ASCII);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelSnapshotCodec.decode(bytes))
                .withMessage("not a streamlearn model snapshot (bad magic)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelSnapshotCodec.decode(null))
                .withMessageContaining("bad magic");
    }

    @Test
    void refusesASnapshotTruncatedInsideItsHeader() {
        byte[] encoded = ModelSnapshotCodec.encode(new ModelSnapshot(metadata(), new byte[] {1}));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelSnapshotCodec.decode(Arrays.copyOf(encoded, 6)))
                .withMessageContaining("truncated");
    }

    @Test
    void refusesASnapshotTruncatedInsideItsMetadata() {
        byte[] encoded = ModelSnapshotCodec.encode(new ModelSnapshot(metadata(), new byte[] {1}));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelSnapshotCodec.decode(Arrays.copyOf(encoded, 40)))
                .withMessageContaining("truncated");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelSnapshotCodec.decodeMetadata(Arrays.copyOf(encoded, 40)))
                .withMessageContaining("truncated");
    }

    @Test
    void refusesANegativeMetadataLength() {
        byte[] encoded = ModelSnapshotCodec.encode(new ModelSnapshot(metadata(), new byte[] {1}));
        ByteBuffer.wrap(encoded).putInt(8, -5);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelSnapshotCodec.decode(encoded))
                .withMessageContaining("truncated");
    }

    @Test
    void refusesAFormatVersionThisBuildDoesNotKnow() {
        byte[] encoded = ModelSnapshotCodec.encode(new ModelSnapshot(metadata(), new byte[] {1}));
        ByteBuffer.wrap(encoded).putInt(4, ModelSnapshotCodec.FORMAT_VERSION + 1);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelSnapshotCodec.decode(encoded))
                .withMessage("model snapshot format 2 is not supported (this build reads up to 1)");
    }

    @Test
    void refusesMetadataThatIsNotJson() {
        byte[] metadata = "{oops".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(12 + metadata.length);
        buffer.put("SLM1".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(metadata.length).put(metadata);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelSnapshotCodec.decode(buffer.array()))
                .withMessageContaining("model snapshot metadata is invalid");
    }

    private static ModelMetadata metadata() {
        Evaluation window = Evaluation.classification(4, 3, 0.75, 0.5, null,
                List.of(new Evaluation.ClassScores("yes", 1.0, 0.5, 2.0 / 3)));
        Evaluation evaluation = Evaluation.classification(10, 8, 0.8, 0.6, 0.9,
                List.of(new Evaluation.ClassScores("yes", 0.8, 0.9, 0.85))).withWindow(4, window);
        return new ModelMetadata("weather", 3, "trees.HoeffdingTree -g 50", SCHEMA,
                Map.of("events-0", 120L, "events-1", 98L), 218, 200, evaluation, 1_714_557_600_000L,
                ModelSnapshotCodec.FORMAT_VERSION);
    }

    private static OnlineLearner trainedLearner() {
        OnlineLearner learner = LearnerFactory.create("trees.HoeffdingTree -g 50", SCHEMA);
        for (int i = 0; i < 500; i++) {
            double temp = (i * 7) % 30;
            learner.learn(new double[] {temp, i % 2}, temp > 15 ? 0 : 1);
        }
        return learner;
    }
}
