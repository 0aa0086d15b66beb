package io.streamlearn.core.features;

import static io.streamlearn.core.event.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureEncoderTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema("weather",
            FeatureSpec.nominal("class", List.of("UP", "DOWN")),
            List.of(
                    FeatureSpec.numeric("price"),
                    FeatureSpec.nominal("day", List.of("mon", "tue")),
                    new FeatureSpec("at", FeatureType.TIMESTAMP, List.of(), MissingPolicy.REJECT, null),
                    new FeatureSpec("rain", FeatureType.NUMERIC, List.of(), MissingPolicy.MISSING, null),
                    new FeatureSpec("wind", FeatureType.NUMERIC, List.of(), MissingPolicy.DEFAULT, "3.5"),
                    new FeatureSpec("sky", FeatureType.NOMINAL, List.of("sun", "cloud"), MissingPolicy.DEFAULT,
                            "cloud")));

    private final EventCodec codec = new EventCodec();
    private final FeatureEncoder encoder = new FeatureEncoder(SCHEMA);

    @Test
    void encodesValuesInSchemaOrder() throws Exception {
        double[] vector = encoder.encodeFeatures(features("""
                {"sky": "sun", "wind": 7, "rain": 0.5, "at": 1714557600000, "day": "tue", "price": 12.25}"""));

        assertThat(vector).containsExactly(12.25, 1.0, 1.714557600000E12, 0.5, 7.0, 0.0);
    }

    @Test
    void acceptsTimestampsAsIsoInstantsOrEpochMilliseconds() throws Exception {
        double[] iso = encoder.encodeFeatures(features(complete("\"2024-05-01T10:00:00Z\"")));
        double[] epoch = encoder.encodeFeatures(features(complete("1714557600000")));

        assertThat(iso[2]).isEqualTo(1.7145576E12).isEqualTo(epoch[2]);
    }

    @Test
    void givesNaNForAMissingFeatureUnderTheMissingPolicy() throws Exception {
        double[] absent = encoder.encodeFeatures(features("{\"price\": 1, \"day\": \"mon\", \"at\": 0}"));
        double[] explicitNull = encoder.encodeFeatures(
                features("{\"price\": 1, \"day\": \"mon\", \"at\": 0, \"rain\": null}"));

        assertThat(absent[3]).isNaN();
        assertThat(explicitNull[3]).isNaN();
    }

    @Test
    void usesTheDeclaredDefaultForAMissingFeatureUnderTheDefaultPolicy() throws Exception {
        double[] vector = encoder.encodeFeatures(features("{\"price\": 1, \"day\": \"mon\", \"at\": 0}"));

        assertThat(vector[4]).isEqualTo(3.5);
        assertThat(vector[5]).as("index of 'cloud'").isEqualTo(1.0);
    }

    @Test
    void rejectsAMissingFeatureUnderTheRejectPolicy() {
        assertRejected(() -> encoder.encodeFeatures(features("{\"day\": \"mon\", \"at\": 0}")),
                RejectReason.MISSING_FEATURE, "price");
        assertRejected(() -> encoder.encodeFeatures(features("{\"price\": null, \"day\": \"mon\", \"at\": 0}")),
                RejectReason.MISSING_FEATURE, "price");
    }

    @Test
    void rejectsAFeatureTheSchemaDoesNotDeclare() {
        assertRejected(() -> encoder.encodeFeatures(features(complete("0", ", \"humidity\": 3"))),
                RejectReason.UNKNOWN_FEATURE, "humidity");
    }

    @Test
    void rejectsAValueOfTheWrongType() {
        assertRejected(() -> encoder.encodeFeatures(features("{\"price\": \"12\", \"day\": \"mon\", \"at\": 0}")),
                RejectReason.WRONG_TYPE, "price");
        assertRejected(() -> encoder.encodeFeatures(features("{\"price\": 1, \"day\": 2, \"at\": 0}")),
                RejectReason.WRONG_TYPE, "day");
        assertRejected(() -> encoder.encodeFeatures(features("{\"price\": true, \"day\": \"mon\", \"at\": 0}")),
                RejectReason.WRONG_TYPE, "price");
    }

    @Test
    void rejectsANumberTooLargeForADouble() {
        assertRejected(() -> encoder.encodeFeatures(features("{\"price\": 1e400, \"day\": \"mon\", \"at\": 0}")),
                RejectReason.NOT_FINITE, "price");
    }

    @Test
    void rejectsANominalValueOutsideTheDeclaredValues() {
        assertRejected(() -> encoder.encodeFeatures(features("{\"price\": 1, \"day\": \"sun\", \"at\": 0}")),
                RejectReason.UNSEEN_NOMINAL, "day");
    }

    @Test
    void rejectsABadTimestampFeature() {
        assertRejected(() -> encoder.encodeFeatures(features("{\"price\": 1, \"day\": \"mon\", \"at\": \"soon\"}")),
                RejectReason.BAD_TIMESTAMP, "at");
    }

    @Test
    void encodesALabelAsItsClassIndexAndDecodesItBack() throws Exception {
        assertThat(encoder.encodeLabel(json("\"DOWN\""))).isEqualTo(1.0);
        assertThat(encoder.decodeLabel(1.0)).isEqualTo("DOWN");
        assertThat(encoder.encodeLabel(null)).isNaN();
        assertThat(encoder.encodeLabel(json("null"))).isNaN();
    }

    @Test
    void rejectsALabelThatIsNotADeclaredClass() {
        assertRejected(() -> encoder.encodeLabel(json("\"SIDEWAYS\"")), RejectReason.INVALID_LABEL, "label");
        assertRejected(() -> encoder.encodeLabel(json("1")), RejectReason.INVALID_LABEL, "label");
    }

    @Test
    void rejectsANonFiniteLabelOfANumericTarget() {
        FeatureEncoder regression = new FeatureEncoder(new FeatureSchema("r", FeatureSpec.numeric("y"),
                List.of(FeatureSpec.numeric("x"))));

        assertRejected(() -> regression.encodeLabel(json("1e400")), RejectReason.INVALID_LABEL, "label");
    }

    @Test
    void encodesACategoryAsTheHashOfItsStringWithoutDeclaredValues() throws Exception {
        FeatureSchema withCity = new FeatureSchema("trips", FeatureSpec.numeric("minutes"),
                List.of(new FeatureSpec("city", FeatureType.CATEGORY, List.of(), MissingPolicy.DEFAULT, "unknown")));
        FeatureEncoder categories = new FeatureEncoder(withCity);

        assertThat(categories.encodeFeatures(features("{\"city\": \"a\"}"))).containsExactly((double) 0xe40c292c);
        assertThat(categories.encodeFeatures(features("{}"))).containsExactly(FeatureHashing.hash("unknown"));
        assertRejected(() -> categories.encodeFeatures(features("{\"city\": 3}")), RejectReason.WRONG_TYPE, "city");
    }

    private static String complete(String at) {
        return complete(at, "");
    }

    private static String complete(String at, String extra) {
        return "{\"price\": 1, \"day\": \"mon\", \"at\": " + at + extra + "}";
    }

    @Test
    void streamsAValidObjectIntoTheVectorItsTreeGives() throws Exception {
        for (String object : List.of(
                "{\"sky\": \"sun\", \"wind\": 7, \"rain\": 0.5, \"at\": 1714557600000, \"day\": \"tue\", \"price\": 12.25}",
                "{\"price\": -1e-3, \"day\": \"mon\", \"at\": \"2024-05-01T10:00:00Z\", \"rain\": null}",
                "{\"at\": 0, \"price\": 9007199254740993, \"day\": \"tue\"}")) {
            assertThat(streamed(object)).as(object).containsExactly(encoder.encodeFeatures(features(object)));
        }
    }

    @Test
    void leavesEveryObjectTheTreePathRefusesToTheTreePath() throws Exception {
        for (String object : List.of(
                "{\"day\": \"mon\", \"at\": 0}",
                "{\"price\": \"1\", \"day\": \"mon\", \"at\": 0}",
                "{\"price\": 1, \"day\": \"wed\", \"at\": 0}",
                "{\"price\": 1, \"day\": \"mon\", \"at\": 0, \"snow\": 1}",
                "{\"price\": 1e999, \"day\": \"mon\", \"at\": 0}",
                "{\"price\": {}, \"day\": \"mon\", \"at\": 0}",
                "{\"price\": 1, \"day\": \"mon\", \"at\": true}",
                "[1]")) {
            assertThat(streamed(object)).as(object).isNull();
        }
    }

    @Test
    void encodesValuesGivenInSchemaOrderAsTheirObject() throws Exception {
        ObjectNode object = features("{\"price\": 2, \"day\": \"tue\", \"at\": 5, \"rain\": null}");
        JsonNode[] values = new JsonNode[SCHEMA.features().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = object.get(SCHEMA.features().get(i).name());
        }

        assertThat(encoder.encodeValues(values)).containsExactly(encoder.encodeFeatures(object));
        values[0] = null;
        assertRejected(() -> encoder.encodeValues(values), RejectReason.MISSING_FEATURE, "price");
    }

    private double[] streamed(String json) throws Exception {
        try (JsonParser parser = codec.json().createParser(json)) {
            parser.nextToken();
            return encoder.tryEncodeFeatures(parser);
        }
    }

    private ObjectNode features(String json) throws Exception {
        return (ObjectNode) json(json);
    }

    private JsonNode json(String json) throws Exception {
        return codec.json().readTree(json.getBytes(StandardCharsets.UTF_8));
    }
}
