package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.RawHttp;
import io.streamlearn.serve.fixtures.RawHttp.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import io.streamlearn.serve.http.HostileRequests.BodyKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile HTTP requests on every route of the prediction server: random and oversized bodies, wrong methods and
 * content types, traversal and odd characters in path names, slow clients. Every answer is a 2xx (a valid request) or
 * a 4xx, never a 5xx, never a stack trace or a Java class name, and the server stays live. Requests are generated
 * from fixed seeds (each try's own seed is in its failure message through the request it prints); the number of tries
 * per test is {@value #DEFAULT_TRIES} unless {@code -Dstreamlearn.fuzz.tries=N} says otherwise.
 */
class HttpFuzzTest {

    static final int DEFAULT_TRIES = 250;
    private static final long SEED = 20260707L;
    private static final int TRIES = Integer.getInteger("streamlearn.fuzz.tries", DEFAULT_TRIES);
    private static final int MAX_BODY_BYTES = 8 * 1024;
    private static final String TOKEN = "fuzz-admin-token";

    /** Route templates of {@link HttpApi}, each with its own method; {n} is a model name, {v} a version. */
    private record Endpoint(String method, String template) {

        String path(String name, String version) {
            return template.replace("{n}", name).replace("{v}", version);
        }
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/v1/models/{n}/predict"),
            new Endpoint("POST", "/v1/models/{n}/labels"),
            new Endpoint("POST", "/v1/models/{n}/versions/{v}/promote"),
            new Endpoint("POST", "/v1/models/{n}/rollback"),
            new Endpoint("DELETE", "/v1/models/{n}/pin"),
            new Endpoint("GET", "/v1/models"),
            new Endpoint("GET", "/v1/models/{n}"),
            new Endpoint("GET", "/health/live"),
            new Endpoint("GET", "/health/ready"),
            new Endpoint("POST", "/v2/models/{n}/infer"),
            new Endpoint("POST", "/v2/models/{n}/versions/{v}/infer"),
            new Endpoint("GET", "/v2/models/{n}"),
            new Endpoint("GET", "/v2/models/{n}/versions/{v}"),
            new Endpoint("GET", "/v2/models/{n}/ready"),
            new Endpoint("GET", "/v2/models/{n}/versions/{v}/ready"),
            new Endpoint("GET", "/v2"),
            new Endpoint("GET", "/v2/health/live"),
            new Endpoint("GET", "/v2/health/ready"),
            new Endpoint("GET", "/metrics"));

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
            "TRACE", "CONNECT", "PROPFIND", "FOO", "get");

    /** What a body must never show: a stack frame, an exception, or a fully qualified Java class name. */
    private static final Pattern LEAK = Pattern.compile("Exception|\\bat [a-z]+\\.|\\$[0-9]|"
            + "\\b(java|javax|jdk|sun|io\\.vertx|io\\.netty|io\\.streamlearn|com\\.fasterxml|moa|org\\.apache)\\."
            + "[a-z]|StreamReadConstraints");

    private static PredictionServer server;
    private static RawHttp http;

    @BeforeAll
    static void serveTwoModels() {
        ServingConfig config = ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withMaxBodyBytes(MAX_BODY_BYTES).withMaxBatchInstances(5).withAdminToken(TOKEN)
                .withKeepVersions(3);
        server = PredictionServer.start(config, new ModelRegistry(3),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        for (int version = 1; version <= 2; version++) {
            server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(
                    TestModels.electricity().schema(), TestModels.electricityLearner(100), version), "test");
            server.snapshots().load(TestModels.LINEAR, TestModels.encodedSnapshot(TestModels.linearSchema(),
                    TestModels.linearLearner(), version), "test");
        }
        http = new RawHttp(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anyBodyWithAnyContentTypeIsRefusedOrServedNeverFailed() {
        Random tries = new Random(SEED);
        for (int i = 0; i < TRIES; i++) {
            Random random = new Random(tries.nextLong());
            Endpoint endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            BodyKind kind = BodyKind.values()[random.nextInt(BodyKind.values().length)];
            anyBody(endpoint, kind, random);
        }
    }

    private static void anyBody(Endpoint endpoint, BodyKind kind, Random random) {
        HostileRequests hostile = new HostileRequests(random, MAX_BODY_BYTES);
        String method = random.nextInt(5) == 0 ? METHODS.get(random.nextInt(METHODS.size())) : endpoint.method();
        String path = endpoint.path(random.nextInt(4) == 0 ? "linear" : "electricity", "1");

        Reply reply = http.send(method, path, hostile.contentType(), hostile.body(kind));

        assertAnsweredWithoutServerFault(method + " " + path + " (" + kind + ")", reply);
    }

    @Test
    void binaryTensorRequestsAreRefusedOrServedNeverFailed() {
        Random tries = new Random(SEED + 2);
        int served = 0;
        for (int i = 0; i < TRIES; i++) {
            HostileRequests.BinaryRequest request = new HostileRequests(new Random(tries.nextLong()), MAX_BODY_BYTES)
                    .binaryInfer();

            Reply reply = http.send("POST", "/v2/models/linear/infer", InferHandler.BINARY_CONTENT_TYPE,
                    request.body(), Map.of(InferHandler.HEADER_LENGTH, request.headerLength()));

            assertAnsweredWithoutServerFault("binary tensors " + new String(request.body(), StandardCharsets.ISO_8859_1)
                    + " with header length " + request.headerLength(), reply);
            if (request.wellFormed()) {
                assertThat(reply.status()).as(reply.body()).isEqualTo(200);
                served++;
            }
        }
        assertThat(served).as("well-formed binary requests among the tries").isPositive();
    }

    /**
     * Issue 14's attack, byte for byte: a BYTES tensor declaring a billion elements over 0 bytes of binary data, one
     * stray byte after the JSON. It used to reach an allocation sized by the shape ({@code OutOfMemoryError}, a 500, and
     * under {@code -XX:+ExitOnOutOfMemoryError} a dead replica); the shape is now checked against the batch limit and
     * the bytes sent before anything is allocated for it.
     */
    @Test
    void binaryTensorDeclaringABillionElementsOverNoBytesIsA4xx() {
        byte[] json = ("{\"inputs\":[{\"name\":\"day\",\"shape\": [1000000000], \"datatype\": \"BYTES\", "
                + "\"parameters\": {\"binary_data_size\": 0}}]}").getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(json, json.length + 1);
        assertThat(body).hasSize(110);

        Reply reply = http.send("POST", "/v2/models/electricity/infer", InferHandler.BINARY_CONTENT_TYPE, body,
                Map.of(InferHandler.HEADER_LENGTH, Integer.toString(json.length)));

        assertAnsweredWithoutServerFault("the 110-byte billion-element request", reply);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        // The protocol's own error object, {"error": message}, as every /v2 route answers.
        assertThat(reply.body()).contains("at most 5 instances").contains("declares 1000000000");
    }

    @Test
    void binaryTensorDeclaringMoreElementsThanItsBytesHoldIsA400() {
        byte[] json = ("{\"inputs\": [{\"name\": \"day\", \"shape\": [2, " + Integer.MAX_VALUE + "], "
                + "\"datatype\": \"BYTES\", \"parameters\": {\"binary_data_size\": 0}}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(json, json.length + 1);

        Reply reply = http.send("POST", "/v2/models/electricity/infer", InferHandler.BINARY_CONTENT_TYPE, body,
                Map.of(InferHandler.HEADER_LENGTH, Integer.toString(json.length)));

        assertAnsweredWithoutServerFault("a [2, 2^31-1] BYTES tensor over 0 bytes", reply);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("declares 4294967294 BYTES elements").contains("hold at most 0");
    }

    @Test
    void oddNamesInPathsAreRefusedOrServedNeverFailed() {
        Random tries = new Random(SEED + 1);
        for (int i = 0; i < TRIES; i++) {
            Random random = new Random(tries.nextLong());
            oddName(ENDPOINTS.get(random.nextInt(ENDPOINTS.size())), random);
        }
    }

    private static void oddName(Endpoint endpoint, Random random) {
        HostileRequests hostile = new HostileRequests(random, MAX_BODY_BYTES);
        boolean encodeAll = random.nextBoolean();
        String path = endpoint.path(pathText(hostile.pathSegment(), encodeAll),
                pathText(hostile.pathSegment(), encodeAll));
        byte[] body = endpoint.method().equals("POST") ? hostile.body(BodyKind.PREDICT_SHAPED) : null;
        String authorization = random.nextBoolean() ? TOKEN : "wrong";

        Reply reply = http.send(endpoint.method(), path, "application/json", body, authorization);

        assertAnsweredWithoutServerFault(endpoint.method() + " " + path, reply);
    }

    @Test
    void malformedPercentEncodingInAPathIsA400() {
        Reply reply = http.send("GET", "/v1/models/%zz", null, null);

        assertAnsweredWithoutServerFault("GET /v1/models/%zz", reply);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        assertThat(reply.body()).contains("\"bad_path\"");
    }

    @Test
    void bodyTrickledByASlowClientIsStillAnswered() {
        byte[] body = ("{\"features\": {\"x\": 0.5}}").getBytes(StandardCharsets.UTF_8);

        Reply reply = http.trickle("POST", "/v1/models/linear/predict", "application/json", body, body.length,
                Duration.ofMillis(20));

        assertThat(reply.status()).as(reply.head() + reply.body()).isEqualTo(200);
        assertThat(reply.body()).contains("\"prediction\"");
    }

    @Test
    void slowClientsSendingGarbageGetA4xx() {
        Random random = new Random(7);
        for (BodyKind kind : List.of(BodyKind.RANDOM_BYTES, BodyKind.DEEP_NESTING, BodyKind.INVALID_UTF8)) {
            byte[] body = new HostileRequests(random, MAX_BODY_BYTES).body(kind);

            Reply reply = http.trickle("POST", "/v2/models/electricity/infer", "application/json", body, 10,
                    Duration.ofMillis(10));

            assertAnsweredWithoutServerFault("trickled " + kind, reply);
            assertThat(reply.status()).isBetween(400, 499);
        }
    }

    /**
     * A name as a client would put it in a path: characters a request line cannot hold (space, controls, CR, LF) are
     * always percent-encoded; the rest (non-ASCII, {@code ?}, {@code #}) only when {@code encodeAll}.
     */
    private static String pathText(String name, boolean encodeAll) {
        if (!encodeAll) {
            return rawUnicode(name);
        }
        StringBuilder text = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#') {
                text.append(String.format("%%%02X", c));
            } else {
                text.append((char) c);
            }
        }
        return text.toString();
    }

    /** The name with its non-ASCII characters sent as raw UTF-8, only space and controls encoded. */
    private static String rawUnicode(String name) {
        StringBuilder text = new StringBuilder();
        name.codePoints().forEach(c -> {
            if (c <= 0x20 || c == 0x7f) {
                text.append(String.format("%%%02X", c));
            } else {
                text.appendCodePoint(c);
            }
        });
        return text.toString();
    }

    private static void assertAnsweredWithoutServerFault(String request, Reply reply) {
        String shown = request + " answered:\n" + reply.head() + "\n\n" + reply.body();
        assertThat(reply.status()).as(shown).satisfiesAnyOf(
                status -> assertThat(status).isBetween(200, 299),
                status -> assertThat(status).isBetween(400, 499));
        if (!request.contains("/metrics")) {
            assertThat(LEAK.matcher(reply.body()).find()).as(shown).isFalse();
        }
        assertThat(http.send("GET", "/health/live", null, null).status()).as("live after " + request)
                .isEqualTo(200);
    }
}
