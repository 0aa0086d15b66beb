package io.streamlearn.core.event;

import static io.streamlearn.core.event.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.data.LabeledRow;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final long RECORD_TS = 1_000L;

    private final EventCodec codec = new EventCodec();

    @Test
    void decodesAWellFormedEvent() throws Exception {
        Event event = decode("""
                {"id": "e-1", "ts": 1714557600000, "model": "elec", "features": {"x": 1.5}, "label": "UP"}""");

        assertThat(event.id()).isEqualTo("e-1");
        assertThat(event.timestamp()).isEqualTo(1_714_557_600_000L);
        assertThat(event.model()).isEqualTo("elec");
        assertThat(event.features().get("x").doubleValue()).isEqualTo(1.5);
        assertThat(event.hasLabel()).isTrue();
        assertThat(event.label().textValue()).isEqualTo("UP");
    }

    @Test
    void acceptsAnIsoTimestampAndANumericId() throws Exception {
        Event event = decode("""
                {"id": 42, "ts": "2024-05-01T10:00:00Z", "model": "elec", "features": {}}""");

        assertThat(event.id()).isEqualTo("42");
        assertThat(event.timestamp()).isEqualTo(1_714_557_600_000L);
        assertThat(event.hasLabel()).isFalse();
    }

    @Test
    void takesTheModelFromTheKeyAndTheTimestampFromTheRecordWhenTheEventOmitsThem() throws Exception {
        Event event = codec.decodeEvent(bytes("""
                {"id": "e-1", "features": {}}"""), "from-key", RECORD_TS);

        assertThat(event.model()).isEqualTo("from-key");
        assertThat(event.timestamp()).isEqualTo(RECORD_TS);
    }

    /** Streamed as the JSON tree of the row would be written: the same bytes for every kind of value a row holds. */
    @Test
    void encodesARowAsItsJsonTreeWouldBeWritten() throws Exception {
        Map<String, Object> features = new java.util.LinkedHashMap<>();
        features.put("x", 0.1 + 0.2);
        features.put("tiny", 4.9e-324);
        features.put("nan", Double.NaN);
        features.put("count", 7L);
        features.put("small", 3);
        features.put("day", "Tu\"e\u00e9");
        features.put("missing", null);
        features.put("flag", true);
        for (Object label : new Object[] {"UP", 2.5, null}) {
            LabeledRow row = new LabeledRow(features, label);
            var tree = codec.json().createObjectNode();
            tree.put("id", "r-1").put("ts", 5L).put("model", "elec");
            var values = tree.putObject("features");
            features.forEach((name, value) -> values.set(name, codec.json().valueToTree(value)));
            if (label != null) {
                tree.set("label", codec.json().valueToTree(label));
            }
            assertThat(new String(codec.encodeEvent("r-1", 5L, "elec", row), StandardCharsets.UTF_8))
                    .isEqualTo(new String(codec.write(tree), StandardCharsets.UTF_8));
        }
    }

    @Test
    void encodesADatasetRowSoThatItDecodesBack() throws Exception {
        LabeledRow row = new LabeledRow(Map.of("x", 0.25, "day", "3"), "DOWN");

        Event event = codec.decodeEvent(codec.encodeEvent("r-7", 5L, "elec", row), null, RECORD_TS);

        assertThat(event.id()).isEqualTo("r-7");
        assertThat(event.timestamp()).isEqualTo(5L);
        assertThat(event.model()).isEqualTo("elec");
        assertThat(event.features().get("x").doubleValue()).isEqualTo(0.25);
        assertThat(event.features().get("day").textValue()).isEqualTo("3");
        assertThat(event.label().textValue()).isEqualTo("DOWN");
    }

    @Test
    void rejectsMalformedJson() {
        assertRejected(() -> decode("{\"id\": \"e-1\", "), RejectReason.MALFORMED_JSON, null);
    }

    @Test
    void rejectsANullRecordValue() {
        assertRejected(() -> codec.decodeEvent(null, "m", RECORD_TS), RejectReason.MALFORMED_JSON, null);
    }

    @Test
    void rejectsDuplicateKeysAtTopLevelAndInsideFeatures() {
        assertRejected(() -> decode("""
                {"id": "a", "id": "b", "model": "m", "features": {}}"""), RejectReason.MALFORMED_JSON, null);
        assertRejected(() -> decode("""
                {"id": "a", "model": "m", "features": {"x": 1, "x": 2}}"""), RejectReason.MALFORMED_JSON, null);
    }

    @Test
    void rejectsTheNaNToken() {
        assertRejected(() -> decode("""
                {"id": "a", "model": "m", "features": {"x": NaN}}"""), RejectReason.MALFORMED_JSON, null);
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        String deep = "[".repeat(EventCodec.MAX_NESTING_DEPTH + 1) + "]".repeat(EventCodec.MAX_NESTING_DEPTH + 1);
        assertRejected(() -> decode("{\"id\": \"a\", \"model\": \"m\", \"features\": {\"x\": " + deep + "}}"),
                RejectReason.MALFORMED_JSON, null);
    }

    @Test
    void rejectsARecordOverTheSizeLimitBeforeParsingIt() {
        EventCodec small = new EventCodec(64);
        byte[] record = bytes("{\"id\": \"a\", \"model\": \"m\", \"features\": {\"x\": \"" + "y".repeat(64) + "\"}}");

        assertRejected(() -> small.decodeEvent(record, "m", RECORD_TS), RejectReason.OVERSIZED, null);
    }

    @Test
    void rejectsJsonThatIsNotAnObject() {
        assertRejected(() -> decode("[1, 2]"), RejectReason.NOT_AN_OBJECT, null);
        assertRejected(() -> decode("\"text\""), RejectReason.NOT_AN_OBJECT, null);
        assertRejected(() -> decode("null"), RejectReason.NOT_AN_OBJECT, null);
    }

    @Test
    void rejectsAnEventWithoutAnId() {
        assertRejected(() -> decode("{\"model\": \"m\", \"features\": {}}"), RejectReason.MISSING_ID, "id");
        assertRejected(() -> decode("{\"id\": \" \", \"model\": \"m\", \"features\": {}}"),
                RejectReason.MISSING_ID, "id");
        assertRejected(() -> decode("{\"id\": {}, \"model\": \"m\", \"features\": {}}"),
                RejectReason.MISSING_ID, "id");
    }

    @Test
    void rejectsAnEventWithoutAModelWhenTheRecordHasNoKey() {
        assertRejected(() -> codec.decodeEvent(bytes("{\"id\": \"a\", \"features\": {}}"), null, RECORD_TS),
                RejectReason.MISSING_MODEL, "model");
        assertRejected(() -> decode("{\"id\": \"a\", \"model\": 7, \"features\": {}}"),
                RejectReason.MISSING_MODEL, "model");
    }

    @Test
    void rejectsATimestampThatIsNeitherEpochMillisecondsNorAnIsoInstant() {
        assertRejected(() -> decode("{\"id\": \"a\", \"ts\": \"yesterday\", \"model\": \"m\", \"features\": {}}"),
                RejectReason.BAD_TIMESTAMP, "ts");
        assertRejected(() -> decode("{\"id\": \"a\", \"ts\": 1.5, \"model\": \"m\", \"features\": {}}"),
                RejectReason.BAD_TIMESTAMP, "ts");
        assertRejected(() -> decode("{\"id\": \"a\", \"ts\": true, \"model\": \"m\", \"features\": {}}"),
                RejectReason.BAD_TIMESTAMP, "ts");
    }

    @Test
    void rejectsAnEventWithoutAFeaturesObject() {
        assertRejected(() -> decode("{\"id\": \"a\", \"model\": \"m\"}"), RejectReason.MISSING_FEATURES, "features");
        assertRejected(() -> decode("{\"id\": \"a\", \"model\": \"m\", \"features\": [1]}"),
                RejectReason.MISSING_FEATURES, "features");
    }

    @Test
    void decodesALateLabel() throws Exception {
        Label label = codec.decodeLabel(codec.encodeLabel("e-1", "elec", "UP"), null);

        assertThat(label.id()).isEqualTo("e-1");
        assertThat(label.model()).isEqualTo("elec");
        assertThat(label.label().textValue()).isEqualTo("UP");
    }

    @Test
    void rejectsALabelRecordWithoutALabel() {
        assertRejected(() -> codec.decodeLabel(bytes("{\"id\": \"e-1\", \"label\": null}"), "m"),
                RejectReason.MISSING_LABEL, "label");
    }

    private Event decode(String json) throws InvalidRecordException {
        return codec.decodeEvent(bytes(json), "key-model", RECORD_TS);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
