package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.SnapshotLoader;
import io.streamlearn.serve.fixtures.BatchModels;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import java.util.Iterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A batch (XGBoost) version served beside online versions: predict, infer, explain; online versions answer 501. */
class ExplainApiTest {

    private static final String BATCH = String.valueOf(BatchModels.PROMOTED_AT);

    private static PredictionServer server;
    private static HttpJson http;

    @BeforeAll
    static void start() {
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0),
                new ModelRegistry(3), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        http = new HttpJson(server.port());
        var schema = TestModels.linearSchema();
        var online = TestModels.linearLearner();
        server.snapshots().load("linear", TestModels.encodedSnapshot(schema, online, 1), "test");
        server.snapshots().load(ModelKeys.batch("linear"), BatchModels.encodedLinear(), "test");
        server.snapshots().load("linear", TestModels.encodedSnapshot(schema, online, 2), "test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void servesTheBatchVersionOnPredictAndInfer() {
        JsonNode predicted = http.post("/v1/models/linear/predict", "{\"features\": {\"x\": 0.5}}").json();
        assertThat(predicted.get("version").asLong()).isEqualTo(BatchModels.PROMOTED_AT);
        assertThat(predicted.get("prediction").asDouble()).isCloseTo(2.0, within(0.1));

        Reply inferred = http.post("/v2/models/linear/infer", """
                {"inputs": [{"name": "x", "shape": [2], "datatype": "FP64", "data": [0.25, 0.75]}]}""");
        assertThat(inferred.status()).as(inferred.body()).isEqualTo(200);
        assertThat(inferred.json().get("model_version").asText()).isEqualTo(BATCH);
        assertThat(inferred.json().get("outputs").get(0).get("data").get(1).asDouble()).isCloseTo(2.5, within(0.1));
    }

    @Test
    void keepsServingOnlineVersionsLoadedAfterTheBatchOne() {
        JsonNode catalog = http.get("/v1/models/linear").json();
        assertThat(catalog.get("versions").toString()).isEqualTo("[1,2," + BATCH + "]");
        assertThat(catalog.get("metadata").get("origin").asText()).isEqualTo("batch");
        assertThat(catalog.get("metadata").get("provenance").get("trigger").asText()).isEqualTo("test");
        assertThat(catalog.get("metadata").get("provenance").get("globalImportance").has("x")).isTrue();
        Reply inferred = http.post("/v2/models/linear/versions/2/infer", """
                {"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [0.5]}]}""");
        assertThat(inferred.json().get("model_version").asText()).isEqualTo("2");
    }

    @Test
    void explainsABatchPredictionWithContributionsThatSumToTheMargin() {
        Reply reply = http.post("/v1/models/linear/explain", "{\"features\": {\"x\": 0.8}}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("version").asLong()).isEqualTo(BatchModels.PROMOTED_AT);
        double sum = body.get("baseValue").asDouble();
        for (Iterator<JsonNode> values = body.get("contributions").elements(); values.hasNext(); ) {
            sum += values.next().asDouble();
        }
        assertThat(body.get("contributions").fieldNames()).toIterable().containsExactly("x");
        assertThat(sum).isCloseTo(body.get("margin").asDouble(), within(1e-4));
        assertThat(body.get("prediction").asDouble()).isCloseTo(body.get("margin").asDouble(), within(1e-4));
        assertThat(body.get("contributions").get("x").asDouble()).as("x above its mean raises y").isPositive();
    }

    @Test
    void explainsABatchOfInstancesOnAVersionRoute() {
        Reply reply = http.post("/v1/models/linear/versions/" + BATCH + "/explain",
                "{\"instances\": [{\"x\": 0.1}, {\"x\": 0.9}]}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode explanations = reply.json().get("explanations");
        assertThat(explanations).hasSize(2);
        assertThat(explanations.get(0).get("contributions").get("x").asDouble())
                .isLessThan(explanations.get(1).get("contributions").get("x").asDouble());
    }

    @Test
    void onlineVersionsAnswer501AndBadBodies400() {
        Reply online = http.post("/v1/models/linear/versions/2/explain", "{\"features\": {\"x\": 0.5}}");
        assertThat(online.status()).isEqualTo(501);
        assertThat(online.json().get("error").asText()).isEqualTo("explain_not_supported");
        assertThat(online.json().get("detail").asText()).contains("online learner");

        Reply unknownFeature = http.post("/v1/models/linear/explain", "{\"features\": {\"z\": 0.5}}");
        assertThat(unknownFeature.status()).isEqualTo(400);
        assertThat(http.post("/v1/models/gold/explain", "{\"features\": {\"x\": 0.5}}").status()).isEqualTo(404);
    }
}
