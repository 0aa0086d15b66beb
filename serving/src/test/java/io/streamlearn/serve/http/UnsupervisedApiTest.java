package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.SnapshotLoader.Outcome;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Anomaly scores and cluster ids through the real HTTP server, and the clusters route. */
class UnsupervisedApiTest {

    private static final List<FeatureSpec> XY = List.of(FeatureSpec.numeric("x"), FeatureSpec.numeric("y"));
    private static final FeatureSchema SENSORS = new FeatureSchema("sensors",
            FeatureSpec.nominal("label", List.of("normal", "anomaly")), XY, List.of(), Task.ANOMALY);
    private static final FeatureSchema BLOBS = new FeatureSchema("blobs",
            FeatureSpec.nominal("label", List.of("a", "b")), XY, List.of(), Task.CLUSTER);

    private static OnlineLearner detector;
    private static OnlineLearner clusterer;
    private static PredictionServer server;
    private static HttpJson http;

    @BeforeAll
    static void serveTrainedModels() {
        Random random = new Random(9);
        detector = LearnerFactory.create(LearnerFactory.DEFAULT_ANOMALY_SPEC, SENSORS);
        clusterer = LearnerFactory.create("clustream.WithKmeans -k 2", BLOBS);
        for (int i = 0; i < 1000; i++) {
            detector.observe(new double[] {0.3 + random.nextGaussian() * 0.05, 0.3 + random.nextGaussian() * 0.05});
            double centre = i % 2 == 0 ? 0 : 10;
            clusterer.observe(new double[] {centre + random.nextGaussian() * 0.5,
                centre + random.nextGaussian() * 0.5});
        }
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0),
                new ModelRegistry(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        assertThat(server.snapshots().load("sensors", TestModels.encodedSnapshot(SENSORS, detector, 1), "test"))
                .isEqualTo(Outcome.LOADED);
        assertThat(server.snapshots().load("blobs", TestModels.encodedSnapshot(BLOBS, clusterer, 1), "test"))
                .isEqualTo(Outcome.LOADED);
        http = new HttpJson(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void servesAHigherAnomalyScoreForAFarPointThanForATypicalOne() {
        double typical = score(0.3, 0.3);
        double far = score(0.95, 0.95);
        assertThat(typical).isEqualTo(detector.predict(new double[] {0.3, 0.3}).value());
        assertThat(far).isGreaterThan(typical);
    }

    @Test
    void servesTheNearestClusterIdAndListsTheClusters() {
        int low = clusterOf(0.2, -0.1);
        int high = clusterOf(9.8, 10.3);
        assertThat(low).isNotEqualTo(high);
        assertThat(low).isEqualTo((int) clusterer.predict(new double[] {0.2, -0.1}).value());

        Reply reply = http.get("/v1/models/blobs/clusters");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("dimensions")).hasSize(2);
        assertThat(body.get("clusters")).hasSize(2);
        JsonNode lowCluster = body.get("clusters").get(low);
        assertThat(lowCluster.get("id").asInt()).isEqualTo(low);
        assertThat(lowCluster.get("center").get(0).asDouble()).isBetween(-1.0, 1.0);
        assertThat(lowCluster.get("weight").asDouble()).isPositive();
    }

    @Test
    void refusesClustersOfAModelThatDoesNotCluster() {
        Reply reply = http.get("/v1/models/sensors/clusters");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("error").asText()).isEqualTo("not_a_cluster_model");
        assertThat(http.get("/v1/models/nope/clusters").status()).isEqualTo(404);
    }

    private static double score(double x, double y) {
        JsonNode body = predict("sensors", x, y);
        return body.get("prediction").asDouble();
    }

    private static int clusterOf(double x, double y) {
        JsonNode prediction = predict("blobs", x, y).get("prediction");
        assertThat(prediction.isInt()).isTrue();
        return prediction.asInt();
    }

    private static JsonNode predict(String model, double x, double y) {
        ObjectNode request = TestModels.JSON.createObjectNode();
        request.putObject("features").put("x", x).put("y", y);
        Reply reply = http.post("/v1/models/" + model + "/predict", request);
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }
}
