package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of client mistake gets its status and error code as JSON, never a 5xx and never a stack trace. */
class ErrorResponsesTest {

    private static final String PREDICT = "/v1/models/electricity/predict";
    private static final int MAX_BODY_BYTES = 8 * 1024;
    private static final int MAX_BATCH = 5;

    private static PredictionServer server;
    private static HttpJson http;

    @BeforeAll
    static void serveElectricity() {
        ServingConfig config = ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withMaxBodyBytes(MAX_BODY_BYTES).withMaxBatchInstances(MAX_BATCH);
        server = PredictionServer.start(config, new ModelRegistry(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(TestModels.electricity().schema(),
                TestModels.electricityLearner(TestModels.TRAINING_ROWS), 1), "test");
        server.snapshots().load(TestModels.LINEAR, TestModels.encodedSnapshot(TestModels.linearSchema(),
                TestModels.linearLearner(), 1), "test");
        http = new HttpJson(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void malformedJsonIs400() {
        assertError(http.post(PREDICT, "{\"features\": {"), 400, "malformed_json");
    }

    @Test
    void duplicateKeysAreMalformedJson() {
        assertError(http.post(PREDICT, "{\"features\": {}, \"features\": {}}"), 400, "malformed_json");
    }

    @Test
    void contentAfterTheObjectIsMalformedJson() {
        assertError(http.post(PREDICT, request(validFeatures()) + " {}"), 400, "malformed_json");
    }

    @Test
    void emptyBodyIsMalformedJson() {
        assertError(http.post(PREDICT, ""), 400, "malformed_json");
    }

    @Test
    void idsLongerThan256CharactersAre400OnEveryRoute() {
        String features = validFeatures().toString();
        String longest = "i".repeat(256);
        String tooLong = "i".repeat(257);

        assertThat(http.post(PREDICT, "{\"id\": \"" + longest + "\", \"features\": " + features + "}").status())
                .isEqualTo(200);
        assertError(http.post(PREDICT, "{\"id\": \"" + tooLong + "\", \"features\": " + features + "}"), 400,
                "invalid_request");
        assertError(http.post(PREDICT, "{\"ids\": [\"a\", \"" + tooLong + "\"], \"instances\": [" + features + ", "
                + features + "]}"), 400, "invalid_request");
    }

    @Test
    void bodyThatIsNotAnObjectIs400() {
        assertError(http.post(PREDICT, "[1, 2]"), 400, "not_an_object");
    }

    @Test
    void bodyWithNeitherFeaturesNorInstancesIs400() {
        assertError(http.post(PREDICT, "{\"values\": {}}"), 400, "missing_features");
    }

    @Test
    void featuresThatAreNotAnObjectAre400() {
        assertError(http.post(PREDICT, "{\"features\": [0.1, 0.2]}"), 400, "missing_features");
    }

    @Test
    void bodyWithBothFeaturesAndInstancesIs400() {
        ObjectNode body = TestModels.JSON.createObjectNode();
        body.set("features", validFeatures());
        body.putArray("instances").add(validFeatures());

        assertError(http.post(PREDICT, body), 400, "invalid_request");
    }

    @Test
    void instancesThatAreNotANonEmptyArrayOfObjectsAre400() {
        assertError(http.post(PREDICT, "{\"instances\": {}}"), 400, "invalid_request");
        assertError(http.post(PREDICT, "{\"instances\": []}"), 400, "invalid_request");
        assertError(http.post(PREDICT, "{\"instances\": [1]}"), 400, "invalid_request");
    }

    @Test
    void unknownModelIs404() {
        assertError(http.post("/v1/models/gold/predict", request(validFeatures())), 404, "unknown_model");
        assertError(http.get("/v1/models/gold"), 404, "unknown_model");
    }

    @Test
    void missingFeatureIs400NamingIt() {
        // Electricity's schema, read from ARFF, lets every feature be missing; the linear model's schema does not.
        assertFieldError(http.post("/v1/models/linear/predict", "{\"features\": {}}"), "missing_feature", "x");
        assertFieldError(http.post("/v1/models/linear/predict", "{\"features\": {\"x\": null}}"),
                "missing_feature", "x");
    }

    @Test
    void unknownFeatureIs400NamingIt() {
        assertFieldError(http.post(PREDICT, request(validFeatures().put("weather", 0.3))), "unknown_feature",
                "weather");
    }

    @Test
    void wrongTypedFeatureIs400NamingIt() {
        assertFieldError(http.post(PREDICT, request(validFeatures().put("vicprice", "high"))), "wrong_type",
                "vicprice");
    }

    @Test
    void nonFiniteFeatureIs400NamingIt() {
        String body = request(validFeatures()).toString().replace("\"date\":0.0", "\"date\":1e999");

        assertFieldError(http.post(PREDICT, body), "not_finite", "date");
    }

    @Test
    void unseenNominalValueIs400NamingIt() {
        assertFieldError(http.post(PREDICT, request(validFeatures().put("day", "8"))), "unseen_nominal", "day");
    }

    @Test
    void badInstanceInABatchIs400NamingTheInstanceAndFeature() {
        ObjectNode body = TestModels.JSON.createObjectNode();
        ArrayNode instances = body.putArray("instances");
        instances.add(validFeatures());
        instances.add(validFeatures().put("transfer", true));

        Reply reply = http.post(PREDICT, body);

        assertFieldError(reply, "wrong_type", "transfer");
        assertThat(reply.json().get("detail").asText()).startsWith("instance 1: ");
    }

    @Test
    void batchOverTheInstanceLimitIs413() {
        ObjectNode body = TestModels.JSON.createObjectNode();
        ArrayNode instances = body.putArray("instances");
        for (int i = 0; i <= MAX_BATCH; i++) {
            instances.add(validFeatures());
        }

        assertError(http.post(PREDICT, body), 413, "too_many_instances");
    }

    @Test
    void bodyOverTheSizeLimitIs413() {
        String padding = "x".repeat(MAX_BODY_BYTES);

        assertError(http.post(PREDICT, "{\"features\": {}, \"padding\": \"" + padding + "\"}"), 413,
                "body_too_large");
    }

    @Test
    void bodyThatIsNotDeclaredAsJsonIs415() {
        String body = request(validFeatures()).toString();

        assertError(http.send("POST", PREDICT, "text/plain", body), 415, "unsupported_media_type");
        assertError(http.send("POST", PREDICT, null, body), 415, "unsupported_media_type");
    }

    @Test
    void jsonWithACharsetIsAccepted() {
        Reply reply = http.send("POST", PREDICT, "application/json; charset=utf-8", request(validFeatures())
                .toString());

        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void wrongMethodOnAKnownRouteIs405() {
        assertError(http.get(PREDICT), 405, "method_not_allowed");
        assertError(http.send("DELETE", "/v1/models/electricity", null, null), 405, "method_not_allowed");
        assertError(http.post("/health/ready", "{}"), 405, "method_not_allowed");
        assertError(http.get("/v1/models/electricity/explain"), 405, "method_not_allowed");
    }

    @Test
    void unknownRouteIs404() {
        assertError(http.get("/v1/models/electricity/forecast"), 404, "not_found");
        assertError(http.post("/v1/predict", "{}"), 404, "not_found");
    }

    private static ObjectNode validFeatures() {
        return TestModels.features(TestModels.unseenRows(1).get(0)).put("date", 0.0);
    }

    private static ObjectNode request(ObjectNode features) {
        ObjectNode body = TestModels.JSON.createObjectNode();
        body.set("features", features);
        return body;
    }

    private static void assertFieldError(Reply reply, String code, String field) {
        assertError(reply, 400, code);
        assertThat(reply.json().get("field").asText()).isEqualTo(field);
        assertThat(reply.json().get("detail").asText()).contains(field);
    }

    private static void assertError(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/json");
        JsonNode body = reply.json();
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("detail").asText()).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("\\tat ");
    }
}
