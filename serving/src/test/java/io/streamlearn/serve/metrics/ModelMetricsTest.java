package io.streamlearn.serve.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.SnapshotLoader;
import io.streamlearn.serve.fixtures.BatchModels;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.TestModels;
import org.junit.jupiter.api.Test;

/**
 * The served version's origin and the newest online version, which dashboards compare with the trainer's version:
 * a batch version is numbered by its promotion time in epoch milliseconds, never comparable with the online counter.
 */
class ModelMetricsTest {

    private static final OnlineLearner LEARNER = TestModels.linearLearner();

    @Test
    void saysWhichOriginIsServedAndFollowsTheOnlineVersionsWhileABatchVersionIsServed() {
        try (PredictionServer server = PredictionServer.start(
                ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0), new ModelRegistry(2),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HttpJson http = new HttpJson(server.port());
            loadOnline(server, 1);

            assertThat(http.get("/metrics").body())
                    .contains("streamlearn_model_version{model=\"linear\"} 1.0")
                    .contains("streamlearn_model_origin{model=\"linear\",origin=\"online\"} 1.0")
                    .contains("streamlearn_model_origin{model=\"linear\",origin=\"batch\"} 0.0")
                    .contains("streamlearn_model_online_version{model=\"linear\"} 1.0");

            assertThat(server.snapshots().load(ModelKeys.batch(TestModels.LINEAR), BatchModels.encodedLinear(), "test"))
                    .isEqualTo(SnapshotLoader.Outcome.LOADED);
            for (long version = 2; version <= 4; version++) {
                loadOnline(server, version);
            }

            // Two versions kept: the batch one (the highest) and online 4; online 2 and 3 came and went.
            assertThat(http.get("/metrics").body())
                    .contains("streamlearn_model_version{model=\"linear\"} " + (double) BatchModels.PROMOTED_AT)
                    .contains("streamlearn_model_origin{model=\"linear\",origin=\"online\"} 0.0")
                    .contains("streamlearn_model_origin{model=\"linear\",origin=\"batch\"} 1.0")
                    .contains("streamlearn_model_online_version{model=\"linear\"} 4.0");
        }
    }

    @Test
    void keepsTheNewestOnlineVersionWhenBatchVersionsFillTheVersionsKept() {
        try (PredictionServer server = PredictionServer.start(
                ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0), new ModelRegistry(1),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            loadOnline(server, 7);
            server.snapshots().load(ModelKeys.batch(TestModels.LINEAR), BatchModels.encodedLinear(), "test");

            assertThat(server.models().versions(TestModels.LINEAR).held()).as("one kept, and the newest of each origin")
                    .hasSize(2);
            assertThat(new HttpJson(server.port()).get("/metrics").body())
                    .contains("streamlearn_model_online_version{model=\"linear\"} 7.0");
        }
    }

    private static void loadOnline(PredictionServer server, long version) {
        assertThat(server.snapshots().load(TestModels.LINEAR,
                TestModels.encodedSnapshot(TestModels.linearSchema(), LEARNER, version), "test"))
                .isEqualTo(SnapshotLoader.Outcome.LOADED);
    }
}
