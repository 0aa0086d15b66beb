package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.SnapshotLoader.Outcome;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PredictionApiTest {

    private static FeatureSchema schema;
    private static OnlineLearner trained;
    private static OnlineLearner linear;
    private static PredictionServer server;
    private static HttpJson http;

    @BeforeAll
    static void serveTrainedModels() {
        schema = TestModels.electricity().schema();
        trained = TestModels.electricityLearner(TestModels.TRAINING_ROWS);
        linear = TestModels.linearLearner();
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0),
                new ModelRegistry(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        assertThat(server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(schema, trained, 1),
                "test")).isEqualTo(Outcome.LOADED);
        assertThat(server.snapshots().load(TestModels.LINEAR,
                TestModels.encodedSnapshot(TestModels.linearSchema(), linear, 4), "test")).isEqualTo(Outcome.LOADED);
        http = new HttpJson(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void predictsOneInstanceAsTheTrainedLearnerDoes() {
        for (LabeledRow row : TestModels.unseenRows(50)) {
            ObjectNode request = TestModels.JSON.createObjectNode().set("features", TestModels.features(row));

            Reply reply = http.post("/v1/models/electricity/predict", request);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.contentType()).isEqualTo("application/json");
            JsonNode body = reply.json();
            assertThat(body.get("model").asText()).isEqualTo("electricity");
            assertThat(body.get("version").asLong()).isEqualTo(1);
            assertSamePrediction(body, trained.predict(TestModels.encode(schema, row)));
        }
    }

    @Test
    void predictsABatchInOrderAsTheTrainedLearnerDoes() {
        List<LabeledRow> rows = TestModels.unseenRows(40);
        ObjectNode request = TestModels.JSON.createObjectNode();
        ArrayNode instances = request.putArray("instances");
        rows.forEach(row -> instances.add(TestModels.features(row)));

        Reply reply = http.post("/v1/models/electricity/predict", request);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("model").asText()).isEqualTo("electricity");
        assertThat(body.get("version").asLong()).isEqualTo(1);
        assertThat(body.get("predictions")).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertSamePrediction(body.get("predictions").get(i), trained.predict(TestModels.encode(schema, rows.get(i))));
        }
    }

    @Test
    void regressionAnswersANumberWithoutScores() {
        Reply reply = http.post("/v1/models/linear/predict", "{\"features\": {\"x\": 0.5}}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("version").asLong()).isEqualTo(4);
        assertThat(body.get("prediction").isNumber()).isTrue();
        assertThat(body.get("prediction").asDouble()).isEqualTo(linear.predict(new double[] {0.5}).value());
        assertThat(body.has("scores")).isFalse();
    }

    @Test
    void listsServedModelsWithTheirVersions() {
        Reply reply = http.get("/v1/models");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().toString()).isEqualTo(
                "{\"models\":[{\"name\":\"electricity\",\"version\":1},{\"name\":\"linear\",\"version\":4}]}");
    }

    @Test
    void describesAModelWithItsMetadataAndSchema() throws Exception {
        Reply reply = http.get("/v1/models/electricity");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("name").asText()).isEqualTo("electricity");
        assertThat(body.get("version").asLong()).isEqualTo(1);
        assertThat(body.get("metadata").get("learnerSpec").asText()).isEqualTo("trees.HoeffdingTree");
        assertThat(body.get("metadata").get("version").asLong()).isEqualTo(1);
        assertThat(body.get("metadata").get("inputOffsets").get("events-0").asLong()).isEqualTo(1000);
        assertThat(body.get("schema")).isEqualTo(TestModels.JSON.readTree(schema.toJson()));
        assertThat(body.get("schema").get("target").get("values").toString()).isEqualTo("[\"UP\",\"DOWN\"]");
    }

    @Test
    void livenessIsUp() {
        Reply reply = http.get("/health/live");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().toString()).isEqualTo("{\"status\":\"UP\"}");
    }

    private void assertSamePrediction(JsonNode served, Prediction expected) {
        List<String> classes = schema.target().values();
        assertThat(served.get("prediction").asText()).isEqualTo(classes.get(expected.predictedClass()));
        assertThat(served.get("scores").size()).isEqualTo(classes.size());
        for (int c = 0; c < classes.size(); c++) {
            assertThat(served.get("scores").get(classes.get(c)).asDouble()).isEqualTo(expected.scores()[c]);
        }
    }
}
