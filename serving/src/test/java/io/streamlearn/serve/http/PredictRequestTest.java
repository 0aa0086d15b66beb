package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import io.streamlearn.serve.fixtures.TestModels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader of predict bodies against the tree reader, which defines the API's answers: on every body the
 * streaming reader accepts, both give the same vectors and the same given ids; every body it refuses goes to the tree
 * reader, so refusing too much costs speed, never correctness. Valid bodies must take the streaming path, or the
 * speed-up is lost without any test noticing.
 */
class PredictRequestTest {

    private static final int MAX_BATCH = 50;

    /** Every feature type and missing-value policy the encoder knows. */
    private static final FeatureSchema SCHEMA = new FeatureSchema("mixed", FeatureSpec.nominal("label",
            List.of("a", "b")), List.of(
            FeatureSpec.numeric("x"),
            new FeatureSpec("y", FeatureType.NUMERIC, List.of(), MissingPolicy.MISSING, null),
            new FeatureSpec("z", FeatureType.NUMERIC, List.of(), MissingPolicy.DEFAULT, "2.5"),
            FeatureSpec.nominal("color", List.of("red", "green", "blue")),
            FeatureSpec.of("at", FeatureType.TIMESTAMP),
            new FeatureSpec("city", FeatureType.CATEGORY, List.of(), MissingPolicy.DEFAULT, "nowhere")));
    private static final FeatureEncoder ENCODER = new FeatureEncoder(SCHEMA);

    @Test
    void validBodiesTakeTheStreamingPathAndEncodeAsTheTreeDoes() {
        List<String> bodies = List.of(
                "{\"features\": {\"x\": 1.5, \"color\": \"red\", \"at\": 1700000000000}}",
                "{\"id\": \"req-1\", \"features\": {\"at\": \"2026-11-26T04:00:00Z\", \"x\": -3, \"y\": null, "
                        + "\"z\": 7, \"color\": \"blue\", \"city\": \"Lyon\"}}",
                "{\"features\": {\"x\": 1e-300, \"y\": 12345678901, \"color\": \"green\", \"at\": 0}, \"id\": 42}",
                "{\"instances\": [{\"x\": 1, \"color\": \"red\", \"at\": 5}, {\"x\": 2.25, \"color\": \"blue\", "
                        + "\"at\": 6, \"city\": \"Oslo\"}], \"ids\": [\"a\", 7]}",
                "{\"ids\": [null, \"b\"], \"instances\": [{\"x\": 0, \"color\": \"red\", \"at\": 1}, "
                        + "{\"color\": \"green\", \"x\": -0.0, \"at\": 2}]}",
                "{\"instances\": [{\"x\": 3, \"color\": \"red\", \"at\": 1}], \"ids\": null, \"id\": \"unused in a batch\"}");
        for (String body : bodies) {
            PredictRequest streamed = PredictRequest.streamed(utf8(body), ENCODER, MAX_BATCH);
            assertThat(streamed).as(body).isNotNull();
            assertSame(streamed, tree(body), body);
        }
    }

    /** Fields the streaming reader does not read may hide a repeated key it would not see: the tree path reads them. */
    @Test
    void validBodiesWithOtherFieldsAreReadByTheTreePath() {
        String body = "{\"instances\": [{\"x\": 1, \"color\": \"red\", \"at\": 5}], \"ids\": [\"a\"], "
                + "\"extra\": {\"nested\": [1, {}]}}";
        assertThat(PredictRequest.streamed(utf8(body), ENCODER, MAX_BATCH)).isNull();
        assertSame(PredictRequest.read(utf8(body), ENCODER, MAX_BATCH), tree(body), body);
        String repeated = "{\"features\": {\"x\": 1, \"color\": \"red\", \"at\": 5}, \"extra\": {\"a\": 1, \"a\": 2}}";
        assertThat(PredictRequest.streamed(utf8(repeated), ENCODER, MAX_BATCH)).isNull();
        assertThatThrownBy(() -> PredictRequest.read(utf8(repeated), ENCODER, MAX_BATCH)).isInstanceOf(ApiError.class)
                .hasMessageContaining("Duplicate");
    }

    @Test
    void generatedIdsAreUniqueAndGivenIdsKept() {
        PredictRequest request = PredictRequest.streamed(utf8("{\"instances\": [" + String.join(",",
                Collections.nCopies(3, "{\"x\": 1, \"color\": \"red\", \"at\": 1}"))
                + "], \"ids\": [null, \"given\", 12]}"), ENCODER, MAX_BATCH);
        assertThat(request.ids().get(1)).isEqualTo("given");
        assertThat(request.ids().get(2)).isEqualTo("12");
        assertThat(request.ids().get(0)).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void invalidBodiesAreLeftToTheTreeReaderWhichNamesTheFault() {
        String valid = "{\"x\": 1, \"color\": \"red\", \"at\": 1}";
        List<String> bodies = List.of(
                "{\"features\": {\"x\": 1, \"color\": \"purple\", \"at\": 1}}",
                "{\"features\": {\"x\": \"1\", \"color\": \"red\", \"at\": 1}}",
                "{\"features\": {\"color\": \"red\", \"at\": 1}}",
                "{\"features\": {\"x\": 1, \"color\": \"red\", \"at\": 1, \"unknown\": 2}}",
                "{\"features\": {\"x\": 1, \"x\": 2, \"color\": \"red\", \"at\": 1}}",
                "{\"features\": {\"x\": 1e400, \"color\": \"red\", \"at\": 1}}",
                "{\"features\": {\"x\": [1], \"color\": \"red\", \"at\": 1}}",
                "{\"features\": " + valid + ", \"instances\": [" + valid + "]}",
                "{\"features\": " + valid + "} trailing",
                "{\"features\": " + valid + ", \"id\": \" \"}",
                "{\"instances\": []}",
                "{\"instances\": [" + valid + ", 3]}",
                "{\"instances\": [" + valid + "], \"ids\": [\"a\", \"b\"]}",
                "{\"instances\": [" + valid + "], \"ids\": \"a\"}",
                "{\"instances\": [" + String.join(",", Collections.nCopies(MAX_BATCH + 1, valid)) + "]}",
                "[" + valid + "]",
                "{}",
                "");
        for (String body : bodies) {
            assertThat(PredictRequest.streamed(utf8(body), ENCODER, MAX_BATCH)).as(body).isNull();
            assertThatThrownBy(() -> PredictRequest.read(utf8(body), ENCODER, MAX_BATCH)).as(body)
                    .isInstanceOf(ApiError.class);
        }
    }

    /**
     * Random bodies near the valid ones (values of every type, missing and repeated fields, odd ids, extra fields,
     * fuzz tokens) from a fixed seed: whenever the streaming reader accepts one, the tree reader accepts it with the
     * same result.
     */
    @Test
    void wheneverTheStreamingReaderAcceptsTheTreeReaderAgrees() {
        Random random = new Random(20261126L);
        int accepted = 0;
        int tries = 5_000;
        for (int i = 0; i < tries; i++) {
            String body = nearlyValidBody(random);
            PredictRequest streamed = PredictRequest.streamed(utf8(body), ENCODER, MAX_BATCH);
            if (streamed != null) {
                accepted++;
                assertSame(streamed, tree(body), body);
            }
        }
        // Both outcomes must be exercised for the comparison to mean anything.
        assertThat(accepted).isBetween(tries / 20, tries - tries / 20);
    }

    @Test
    void electricityRowsEncodeAsTheServerEncodedThemBefore() {
        FeatureEncoder electricity = new FeatureEncoder(TestModels.electricity().schema());
        String instances = TestModels.unseenRows(100).stream().map(row -> TestModels.features(row).toString())
                .collect(Collectors.joining(",", "{\"instances\": [", "]}"));
        PredictRequest streamed = PredictRequest.streamed(utf8(instances), electricity, 1000);
        assertThat(streamed).isNotNull();
        for (int i = 0; i < 100; i++) {
            assertThat(streamed.rows().get(i)).containsExactly(
                    TestModels.encode(TestModels.electricity().schema(), TestModels.unseenRows(100).get(i)));
        }
    }

    private static PredictRequest tree(String body) {
        return PredictRequest.parsed(RequestBody.parseObject(utf8(body)), ENCODER, MAX_BATCH);
    }

    private static void assertSame(PredictRequest streamed, PredictRequest tree, String body) {
        assertThat(streamed.batch()).as(body).isEqualTo(tree.batch());
        assertThat(streamed.rows()).as(body).hasSameSizeAs(tree.rows());
        for (int i = 0; i < tree.rows().size(); i++) {
            assertThat(streamed.rows().get(i)).as(body).containsExactly(tree.rows().get(i));
        }
        assertThat(streamed.ids()).as(body).hasSameSizeAs(tree.ids());
        for (int i = 0; i < tree.ids().size(); i++) {
            // A generated id is a fresh UUID on each path; a given one must come through unchanged.
            boolean generated = tree.ids().get(i).length() == 36 && tree.ids().get(i).charAt(14) == '4';
            if (!generated) {
                assertThat(streamed.ids().get(i)).as(body).isEqualTo(tree.ids().get(i));
            }
        }
    }

    private static String nearlyValidBody(Random random) {
        if (random.nextInt(3) == 0) {
            return "{" + join(random, List.of("\"features\": " + instance(random), idField(random, "id")),
                    extraField(random)) + "}";
        }
        List<String> instances = new ArrayList<>();
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
            instances.add(random.nextInt(25) == 0 ? value(random) : instance(random));
        }
        String ids = random.nextBoolean() ? "" : "\"ids\": [" + String.join(", ",
                Collections.nCopies(Math.max(0, instances.size() + random.nextInt(3) / 2 * (random
                        .nextBoolean() ? 1 : -1)), id(random))) + "]";
        return "{" + join(random, List.of("\"instances\": [" + String.join(", ", instances) + "]", ids),
                extraField(random)) + "}";
    }

    private static String instance(Random random) {
        List<String> fields = new ArrayList<>();
        maybe(random, fields, "\"x\": " + (random.nextInt(8) == 0 ? value(random) : number(random)), 12);
        maybe(random, fields, "\"y\": " + (random.nextInt(4) == 0 ? "null" : number(random)), 2);
        maybe(random, fields, "\"z\": " + (random.nextInt(8) == 0 ? value(random) : number(random)), 2);
        maybe(random, fields, "\"color\": " + (random.nextInt(8) == 0 ? value(random)
                : "\"" + List.of("red", "green", "blue").get(random.nextInt(3)) + "\""), 12);
        maybe(random, fields, "\"at\": " + (random.nextInt(8) == 0 ? value(random)
                : random.nextBoolean() ? Long.toString(random.nextInt(Integer.MAX_VALUE) * 1000L)
                : "\"2026-11-26T0" + random.nextInt(10) + ":00:00Z\""), 12);
        maybe(random, fields, "\"city\": " + (random.nextInt(8) == 0 ? value(random) : "\"c" + random.nextInt(9)
                + "\""), 2);
        if (random.nextInt(25) == 0) {
            fields.add("\"unknown\": 1");
        }
        if (random.nextInt(25) == 0 && !fields.isEmpty()) {
            fields.add(fields.get(0));
        }
        Collections.shuffle(fields, random);
        return "{" + String.join(", ", fields) + "}";
    }

    private static void maybe(Random random, List<String> fields, String field, int keepOneIn) {
        if (random.nextInt(keepOneIn) != 0) {
            fields.add(field);
        }
    }

    private static String number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> Long.toString(random.nextLong());
            case 2 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10));
            default -> Double.toString(random.nextDouble());
        };
    }

    private static String value(Random random) {
        return List.of("null", "true", "\"text\"", "\"\"", "[]", "{}", "1e400", "-0", "9223372036854775808",
                "1.0", "\"red\"", "\"2026-11-26\"", "[1, 2]", "{\"x\": 1}").get(random.nextInt(14));
    }

    private static String id(Random random) {
        return List.of("null", "\"a\"", "7", "-0", "\" \"", "1.5", "9223372036854775808", "[]", "true")
                .get(random.nextInt(9));
    }

    private static String idField(Random random, String name) {
        return random.nextBoolean() ? "" : "\"" + name + "\": " + id(random);
    }

    private static String extraField(Random random) {
        return random.nextInt(4) != 0 ? "" : "\"" + List.of("meta", "id", "ids", "features", "instances")
                .get(random.nextInt(5)) + "\": " + value(random);
    }

    private static String join(Random random, List<String> fields, String extra) {
        List<String> present = new ArrayList<>(fields.stream().filter(f -> !f.isEmpty()).toList());
        if (!extra.isEmpty()) {
            present.add(random.nextInt(present.size() + 1), extra);
        }
        return String.join(", ", present);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
