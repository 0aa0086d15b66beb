package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.contract.OpenApiContract;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.SnapshotLoader.Outcome;
import io.streamlearn.serve.fixtures.BatchModels;
import io.streamlearn.serve.fixtures.TestModels;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/contracts/openapi/serving.json against a prediction server on a real broker (so labels, learn and pins answer
 * as in production): the document it answers on /openapi.json names exactly the routes of its router, and each
 * documented operation, called with a valid request and with cheap mistakes, answers a documented status with a body
 * of the documented shape.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ServingContractTest {

    private static final String ADMIN = "admin-t0ken";
    private static final String[] AUTH = {"Authorization", "Bearer " + ADMIN};
    private static final FeatureSchema BLOBS = new FeatureSchema("blobs",
            FeatureSpec.nominal("label", List.of("a", "b")),
            List.of(FeatureSpec.numeric("x"), FeatureSpec.numeric("y")),
            List.of(), Task.CLUSTER);

    private static EmbeddedKafkaBroker broker;
    private static PredictionServer server;
    private static String features;

    @BeforeAll
    static void serve() {
        for (String topic : List.of("events", "labels", "predictions", "model-pins", "models", "model-definitions")) {
            broker.createTopic(topic, 1, Map.of());
        }
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withBootstrapServers(broker.bootstrapServers()).withAdminToken(ADMIN).withKeepVersions(3),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        var schema = TestModels.electricity().schema();
        var learner = TestModels.electricityLearner(TestModels.TRAINING_ROWS);
        for (long version = 1; version <= 2; version++) {
            assertThat(server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(schema, learner,
                    version), "test")).isEqualTo(Outcome.LOADED);
        }
        assertThat(server.snapshots().load(ModelKeys.batch("linear"), BatchModels.encodedLinear(), "test"))
                .isEqualTo(Outcome.LOADED);
        OnlineLearner clusterer = LearnerFactory.create("clustream.WithKmeans -k 2", BLOBS);
        Random random = new Random(9);
        for (int i = 0; i < 1000; i++) {
            double centre = i % 2 == 0 ? 0 : 10;
            clusterer.observe(new double[] {centre + random.nextGaussian() * 0.5,
                centre + random.nextGaussian() * 0.5});
        }
        assertThat(server.snapshots().load("blobs", TestModels.encodedSnapshot(BLOBS, clusterer, 1), "test"))
                .isEqualTo(Outcome.LOADED);
        features = TestModels.features(TestModels.unseenRows(1).get(0)).toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theDocumentNamesExactlyTheRoutesOfTheRouter() throws Exception {
        OpenApiContract.of(server.port()).assertDescribesExactly(server.routes());
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        OpenApiContract api = OpenApiContract.of(server.port());
        await().atMost(Duration.ofSeconds(60)).until(() -> api.call("GET", "/health/ready", "/health/ready", null)
                .statusCode() == 200);
        api.call("GET", "/health/live", "/health/live", null);
        api.call("GET", "/metrics", "/metrics", null);
        api.call("GET", "/openapi.json", "/openapi.json", null);

        api.call("GET", "/v1/models", "/v1/models", null);
        api.call("GET", "/v1/models/{name}", "/v1/models/electricity", null);
        expect(api.call("GET", "/v1/models/{name}", "/v1/models/gold", null).statusCode(), 404);
        String predict = "/v1/models/{name}/predict";
        expect(api.call("POST", predict, "/v1/models/electricity/predict", "{\"features\": " + features + "}")
                .statusCode(), 200);
        expect(api.call("POST", predict, "/v1/models/electricity/predict", "{\"ids\": [\"a\", 2], \"instances\": ["
                + features + ", " + features + "]}").statusCode(), 200);
        expect(api.call("POST", predict, "/v1/models/electricity/predict", "{\"features\": {\"day\": 3}}")
                .statusCode(), 400);
        expect(api.call("POST", predict, "/v1/models/gold/predict", "{\"features\": {}}").statusCode(), 404);
        expect(api.call("POST", predict, "/v1/models/electricity/predict", "{\"instances\": ["
                + String.join(", ", Collections.nCopies(1001, features)) + "]}").statusCode(), 413);
        expect(api.call("POST", predict, "/v1/models/electricity/predict", "features", "Content-Type", "text/plain")
                .statusCode(), 415);
        explain(api);
        expect(api.call("GET", "/v1/models/{name}/clusters", "/v1/models/blobs/clusters", null).statusCode(), 200);
        expect(api.call("GET", "/v1/models/{name}/clusters", "/v1/models/electricity/clusters", null).statusCode(),
                409);
        feedback(api);
        admin(api);
        inferenceProtocol(api);

        api.assertEverySuccessAnswered();
    }

    private static void explain(OpenApiContract api) throws Exception {
        String single = "{\"features\": {\"x\": 0.8}}";
        expect(api.call("POST", "/v1/models/{name}/explain", "/v1/models/linear/explain", single).statusCode(), 200);
        expect(api.call("POST", "/v1/models/{name}/explain", "/v1/models/linear/explain",
                "{\"instances\": [{\"x\": 0.1}, {\"x\": 0.9}]}").statusCode(), 200);
        expect(api.call("POST", "/v1/models/{name}/versions/{version}/explain",
                "/v1/models/linear/versions/" + BatchModels.PROMOTED_AT + "/explain", single).statusCode(), 200);
        expect(api.call("POST", "/v1/models/{name}/explain", "/v1/models/electricity/explain",
                "{\"features\": " + features + "}").statusCode(), 501);
    }

    private static void feedback(OpenApiContract api) throws Exception {
        expect(api.call("POST", "/v1/models/{name}/labels", "/v1/models/electricity/labels",
                "{\"id\": \"e-1\", \"label\": \"UP\"}").statusCode(), 200);
        expect(api.call("POST", "/v1/models/{name}/labels", "/v1/models/electricity/labels",
                "{\"id\": \"e-1\", \"label\": \"SIDEWAYS\"}").statusCode(), 400);
        expect(api.call("POST", "/v1/models/{name}/learn", "/v1/models/electricity/learn",
                "{\"features\": " + features + ", \"label\": \"DOWN\"}").statusCode(), 200);
        expect(api.call("POST", "/v1/models/{name}/learn", "/v1/models/gold/learn",
                "{\"features\": {}, \"label\": \"DOWN\"}").statusCode(), 404);
    }

    private static void admin(OpenApiContract api) throws Exception {
        String promote = "/v1/models/{name}/versions/{version}/promote";
        expect(api.call("POST", promote, "/v1/models/electricity/versions/1/promote", null).statusCode(), 401);
        expect(api.call("POST", promote, "/v1/models/electricity/versions/1/promote", null, AUTH).statusCode(), 200);
        expect(api.call("DELETE", "/v1/models/{name}/pin", "/v1/models/electricity/pin", null, AUTH).statusCode(),
                200);
        expect(api.call("POST", "/v1/models/{name}/rollback", "/v1/models/electricity/rollback", null, AUTH)
                .statusCode(), 200);
        expect(api.call("DELETE", "/v1/models/{name}/pin", "/v1/models/gold/pin", null, AUTH).statusCode(), 404);
        expect(api.call("POST", promote, "/v1/models/electricity/versions/7/promote", null, AUTH).statusCode(), 404);
        expect(api.call("POST", "/v1/models/{name}/rollback", "/v1/models/blobs/rollback", null, AUTH).statusCode(),
                409);
    }

    private static void inferenceProtocol(OpenApiContract api) throws Exception {
        api.call("GET", "/v2", "/v2", null);
        api.call("GET", "/v2/health/live", "/v2/health/live", null);
        expect(api.call("GET", "/v2/health/ready", "/v2/health/ready", null).statusCode(), 200);
        String infer = "{\"id\": \"r-1\", \"inputs\": [{\"name\": \"day\", \"shape\": [2], \"datatype\": \"BYTES\","
                + " \"data\": [\"1\", \"2\"]}]}";
        for (String model : List.of("/v2/models/{name}", "/v2/models/{name}/versions/{version}")) {
            String path = model.replace("{name}", "electricity").replace("{version}", "2");
            expect(api.call("GET", model, path, null).statusCode(), 200);
            expect(api.call("GET", model + "/ready", path + "/ready", null).statusCode(), 200);
            expect(api.call("POST", model + "/infer", path + "/infer", infer).statusCode(), 200);
        }
        expect(api.call("GET", "/v2/models/{name}", "/v2/models/gold", null).statusCode(), 404);
        expect(api.call("POST", "/v2/models/{name}/infer", "/v2/models/electricity/infer",
                "{\"inputs\": [{\"name\": \"day\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"9\"]}]}")
                .statusCode(), 400);
    }

    private static void expect(int status, int expected) {
        assertThat(status).isEqualTo(expected);
    }
}
