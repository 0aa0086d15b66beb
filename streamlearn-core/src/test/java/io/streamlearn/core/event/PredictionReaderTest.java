package io.streamlearn.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link PredictionRecord} writes, {@link PredictionReader} reads back as the learner's own prediction. */
class PredictionReaderTest {

    private static final List<FeatureSpec> FEATURES = List.of(FeatureSpec.numeric("x"));
    private static final FeatureSchema CLASSES = new FeatureSchema("m", FeatureSpec.nominal("y", List.of("UP", "DOWN",
            "FLAT")), FEATURES);
    private static final FeatureSchema VALUES = new FeatureSchema("m", FeatureSpec.numeric("y"), FEATURES);
    private static final FeatureSchema ANOMALIES = new FeatureSchema("m", FeatureSpec.nominal("y", List.of("normal",
            "anomaly")), FEATURES, List.of(), Task.ANOMALY);
    private static final FeatureSchema CLUSTERS = new FeatureSchema("m", FeatureSpec.nominal("y", List.of("a", "b")),
            FEATURES, List.of(), Task.CLUSTER);

    private final PredictionReader reader = new PredictionReader(EventCodec.DEFAULT_MAX_RECORD_BYTES,
            new EventCodec().json());

    @Test
    void aClassificationReadsBackAsItsClassAndScoresBitForBit() throws Exception {
        Prediction written = new Prediction(2, new double[] {0.1, 0.2 / 3, 1 - 0.1 - 0.2 / 3});

        Prediction read = roundTrip(CLASSES, written);

        assertThat(read.predictedClass()).isEqualTo(2);
        assertThat(read.scores()).containsExactly(written.scores());
    }

    @Test
    void aValueAndAnAnomalyScoreReadBackAsWrittenAndNoneAsNoValue() throws Exception {
        assertThat(roundTrip(VALUES, Prediction.regression(41.0 / 3)).value()).isEqualTo(41.0 / 3);
        assertThat(roundTrip(VALUES, Prediction.regression(Double.NaN)).hasValue()).isFalse();
        assertThat(roundTrip(ANOMALIES, Prediction.anomaly(0.734)).value()).isEqualTo(0.734);
        assertThat(roundTrip(ANOMALIES, Prediction.none()).hasValue()).isFalse();
    }

    @Test
    void aClassTheSchemaDoesNotKnowAndAClusterReadAsNothing() throws Exception {
        PredictionReader.Read unknown = reader.read(bytes("""
                {"id": "e1", "model": "m", "prediction": "SIDEWAYS", "scores": {"UP": 1.0}, "ts": 5}"""), "m", 0);
        PredictionReader.Read extraScore = reader.read(bytes("""
                {"id": "e1", "model": "m", "prediction": "UP", "scores": {"UP": 0.5, "SIDEWAYS": 0.5}}"""), "m", 0);

        assertThat(unknown.asPrediction(CLASSES)).isNull();
        assertThat(extraScore.asPrediction(CLASSES)).isNull();
        assertThat(reader.read(PredictionRecord.encode("e1", CLUSTERS, 1, Prediction.cluster(1, 0.5, 0.9), 5), "m", 0)
                .asPrediction(CLUSTERS)).isNull();
    }

    private Prediction roundTrip(FeatureSchema schema, Prediction written) throws InvalidRecordException {
        PredictionReader.Read read = reader.read(PredictionRecord.encode("e1", schema, 3, written, 5), "m", 0);
        assertThat(read.source()).isEqualTo(PredictionReader.TRAINER);
        return read.asPrediction(schema);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
