package io.streamlearn.serve.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.TestModels;
import org.junit.jupiter.api.Test;

/** The meters of a version live as long as the server holds that version. */
class VersionMetersTest {

    private static final FeatureSchema SCHEMA = TestModels.electricity().schema();
    private static final OnlineLearner LEARNER = TestModels.electricityLearner(100);

    @Test
    void removesTheMetersOfAnEvictedVersion() {
        try (PredictionServer server = PredictionServer.start(
                ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0), new ModelRegistry(2),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HttpJson http = new HttpJson(server.port());
            String request = "{\"features\": " + TestModels.features(TestModels.unseenRows(1).get(0)) + "}";
            for (long version = 1; version <= 3; version++) {
                server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(SCHEMA, LEARNER, version),
                        "test");
                assertThat(http.post("/v1/models/electricity/predict", request).status()).isEqualTo(200);
            }

            String metrics = http.get("/metrics").body();

            assertThat(metrics)
                    .doesNotContain("version=\"1\"")
                    .contains("streamlearn_serve_predictions_total{model=\"electricity\",version=\"2\"} 1.0")
                    .contains("streamlearn_serve_predictions_total{model=\"electricity\",version=\"3\"} 1.0")
                    .contains("streamlearn_serve_latency_seconds_count{model=\"electricity\","
                            + "route=\"/v1/models/:name/predict\",status=\"200\",version=\"3\"} 1")
                    .contains("streamlearn_serve_versions_loaded{model=\"electricity\"} 2.0");
        }
    }
}
