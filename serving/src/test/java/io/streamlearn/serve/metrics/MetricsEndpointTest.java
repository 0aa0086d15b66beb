package io.streamlearn.serve.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.runtime.metrics.Telemetry;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.SnapshotLoader.Outcome;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.RawHttp;
import io.streamlearn.serve.fixtures.TestModels;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every meter read where Prometheus reads it: {@code GET /metrics} of a real server. */
class MetricsEndpointTest {

    private static final String PREDICT_ROUTE = "route=\"/v1/models/:name/predict\"";
    private static final byte[] GARBAGE = "not a snapshot".getBytes(StandardCharsets.UTF_8);

    private static Telemetry telemetry;
    private static PredictionServer server;
    private static HttpJson http;

    @BeforeAll
    static void serveAndPredict() {
        telemetry = Telemetry.create();
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0),
                new ModelRegistry(), telemetry.registry());
        assertThat(server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(
                TestModels.electricity().schema(), TestModels.electricityLearner(TestModels.TRAINING_ROWS), 3), "test"))
                .isEqualTo(Outcome.LOADED);
        assertThat(server.snapshots().load(TestModels.LINEAR, TestModels.encodedSnapshot(TestModels.linearSchema(),
                TestModels.linearLearner(), 1), "test")).isEqualTo(Outcome.LOADED);
        assertThat(server.snapshots().load(TestModels.ELECTRICITY, GARBAGE, "test")).isEqualTo(Outcome.REJECTED);
        assertThat(server.snapshots().load("attacker-chosen-key", GARBAGE, "test")).isEqualTo(Outcome.REJECTED);
        http = new HttpJson(server.port());
        String features = TestModels.features(TestModels.unseenRows(1).get(0)).toString();
        assertThat(http.post("/v1/models/electricity/predict", "{\"features\": " + features + "}").status())
                .isEqualTo(200);
        assertThat(http.post("/v1/models/electricity/predict", "{\"instances\": [" + features + ", " + features
                + "]}").status()).isEqualTo(200);
        assertThat(http.post("/v1/models/electricity/predict", "{\"features\": 5}").status()).isEqualTo(400);
        assertThat(http.post("/v1/models/nope/predict", "{}").status()).isEqualTo(404);
        assertThat(http.get("/no/such/route/12345").status()).isEqualTo(404);
        assertThat(http.post("/v1/models/linear/predict", "{\"features\": {\"x\": 0.5}}").status()).isEqualTo(200);
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
    void countsPredictedInstancesPerModelAndVersion() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_serve_predictions_total{model=\"electricity\",version=\"3\"} 3.0")
                .contains("streamlearn_serve_predictions_total{model=\"linear\",version=\"1\"} 1.0");
    }

    @Test
    void timesRequestsByRouteTemplateModelVersionAndStatusWithAPercentileHistogram() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_serve_latency_seconds_bucket{model=\"electricity\"," + PREDICT_ROUTE
                        + ",status=\"200\",version=\"3\",le=")
                .contains("streamlearn_serve_latency_seconds_count{model=\"electricity\"," + PREDICT_ROUTE
                        + ",status=\"200\",version=\"3\"} 2")
                .contains("streamlearn_serve_latency_seconds_count{model=\"electricity\"," + PREDICT_ROUTE
                        + ",status=\"400\",version=\"3\"} 1")
                .contains("streamlearn_serve_latency_seconds_count{model=\"none\"," + PREDICT_ROUTE
                        + ",status=\"404\",version=\"none\"} 1");
    }

    @Test
    void neverTagsARawPathOrAnUnknownModelName() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_serve_latency_seconds_count{model=\"none\",route=\"unmatched\",status=\"404\","
                        + "version=\"none\"} 1")
                .doesNotContain("12345")
                .doesNotContain("nope")
                .doesNotContain("attacker-chosen-key");
    }

    /** Issue 14: Vert.x tagged the method as sent, so invented methods each added series to every scrape. */
    @Test
    void inventedRequestMethodsAddNoSeries() {
        RawHttp raw = new RawHttp(server.port());
        assertThat(raw.send("FOO0", "/v1/models", null, null).status()).isEqualTo(405);
        http.get("/metrics"); // so that the series of a scrape itself exist before the one compared
        Set<String> before = httpSeries(http.get("/metrics").body());

        for (int i = 1; i <= 15; i++) {
            assertThat(raw.send("FOO" + i, "/v1/models", null, null).status()).isEqualTo(405);
        }

        String metrics = http.get("/metrics").body();
        assertThat(httpSeries(metrics)).isEqualTo(before);
        assertThat(metrics).doesNotContain("FOO").contains("vertx_http_server_requests_total{code=\"405\","
                + "method=\"other\"}");
    }

    /** The series (name and tags, without the value) of the HTTP meters, Vert.x's and streamlearn's. */
    private static Set<String> httpSeries(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("vertx_http_server") || line.startsWith(
                "streamlearn_serve_latency") || line.startsWith("streamlearn_serve_errors"))
                .map(line -> line.substring(0, line.lastIndexOf(' '))).collect(Collectors.toSet());
    }

    @Test
    void countsErrorsByStatusAndCode() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_serve_errors_total{error=\"unknown_model\",status=\"404\"} 1.0")
                .contains("streamlearn_serve_errors_total{error=\"not_found\",status=\"404\"} 1.0");
    }

    @Test
    void countsPredictedClassesOfAClassifier() {
        String metrics = http.get("/metrics").body();

        double up = sampleOrZero(metrics, "streamlearn_serve_predicted_classes_total{class=\"UP\",model=\"electricity\"}");
        double down = sampleOrZero(metrics,
                "streamlearn_serve_predicted_classes_total{class=\"DOWN\",model=\"electricity\"}");
        assertThat(up + down).isEqualTo(3.0);
    }

    @Test
    void summarisesPredictedValuesOfARegressionModel() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_serve_predicted_values_count{model=\"linear\"} 1")
                .contains("streamlearn_serve_predicted_values{model=\"linear\",quantile=\"0.5\"}");
    }

    @Test
    void reportsTheServedVersionSnapshotAgeAndVersionsHeld() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_model_version{model=\"electricity\"} 3.0")
                .contains("streamlearn_model_snapshot_age_seconds{model=\"electricity\"}")
                .contains("streamlearn_serve_versions_loaded{model=\"electricity\"} 1.0")
                .contains("streamlearn_serve_snapshots_loaded_total 2.0")
                .contains("streamlearn_serve_snapshots_rejected_total 2.0");
    }

    @Test
    void timesModelLoadsAndCountsFailuresOfKnownModelsOnly() {
        assertThat(http.get("/metrics").body())
                .contains("streamlearn_serve_model_load_seconds_count{model=\"electricity\"} 1")
                .contains("streamlearn_serve_model_load_seconds_count{model=\"linear\"} 1")
                .contains("streamlearn_serve_model_load_failures_total{model=\"electricity\"} 1.0")
                .contains("streamlearn_serve_model_load_failures_total{model=\"linear\"} 0.0");
    }

    @Test
    void includesVertxHttpServerAndJvmMeters() {
        assertThat(http.get("/metrics").body())
                .contains("vertx_http_server_requests_total")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_threads_live_threads")
                .contains("process_uptime_seconds");
    }

    private static double sampleOrZero(String metrics, String series) {
        Matcher value = Pattern.compile(Pattern.quote(series) + " (\\S+)").matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0.0;
    }
}
