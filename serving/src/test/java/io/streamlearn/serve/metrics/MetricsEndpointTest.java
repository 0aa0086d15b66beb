package io.streamlearn.serve.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    private static Telemetry telemetry;
    private static PredictionServer server;
    private static HttpJson http;

    @BeforeAll
    static void serveAndPredict() {
        telemetry = Telemetry.create();
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0),
                new ModelRegistry(), telemetry.registry());
        server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(TestModels.electricity().schema(),
                TestModels.electricityLearner(TestModels.TRAINING_ROWS), 3), "test");
        http = new HttpJson(server.port());
        String features = TestModels.features(TestModels.unseenRows(1).get(0)).toString();
        assertThat(http.post("/v1/models/electricity/predict", "{\"features\": " + features + "}").status())
                .isEqualTo(200);
        assertThat(http.post("/v1/models/electricity/predict", "{\"instances\": [" + features + ", " + features
                + "]}").status()).isEqualTo(200);
        assertThat(http.post("/v1/models/nope/predict", "{}").status()).isEqualTo(404);
    }

    @AfterAll
    static void stop() {
        server.close();
        telemetry.close();
    }

    @Test
    void exposesPrometheusTextFormat() {
        Reply reply = http.get("/metrics");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/plain");
    }

    @Test
    void countsPredictedInstancesPerModel() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_serve_predictions_total{model=\"electricity\"} 3.0");
    }

    @Test
    void timesRequestsWithAPercentileHistogram() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_serve_latency_seconds_bucket{model=\"electricity\",le=")
                .contains("streamlearn_serve_latency_seconds_count{model=\"electricity\"} 2");
    }

    @Test
    void countsErrorsByStatusAndCodeWithoutTheUnknownModelName() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_serve_errors_total{error=\"unknown_model\",status=\"404\"} 1.0")
                .doesNotContain("model=\"nope\"");
    }

    @Test
    void reportsTheServedVersionAndSnapshotAge() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_model_version{model=\"electricity\"} 3.0")
                .contains("streamlearn_model_snapshot_age_seconds{model=\"electricity\"}")
                .contains("streamlearn_serve_snapshots_loaded_total 1.0")
                .contains("streamlearn_serve_snapshots_rejected_total 0.0");
    }

    @Test
    void includesVertxHttpServerAndJvmMeters() {
        assertThat(http.get("/metrics").body())
                .contains("vertx_http_server_requests_total")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_threads_live_threads")
                .contains("process_uptime_seconds");
    }
}
