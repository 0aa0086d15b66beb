package io.streamlearn.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import org.junit.jupiter.api.Test;

class PredictionServerTest {

    private static final ServingConfig LOCAL = ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0);

    @Test
    void followingAnUnreachableClusterIsLiveButNotReadyAndClosesPromptly() {
        ServingConfig config = LOCAL.withBootstrapServers("127.0.0.1:1");

        try (PredictionServer server = PredictionServer.start(config, registry())) {
            HttpJson http = new HttpJson(server.port());

            assertThat(server.port()).isPositive();
            assertThat(http.get("/health/live").status()).isEqualTo(200);
            Reply ready = http.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().get("reason").asText()).isEqualTo("no model is loaded yet");
        }
    }

    @Test
    void invalidConfigurationFailsBeforeAnythingStarts() {
        assertThatThrownBy(() -> PredictionServer.start(LOCAL.withMaxBatchInstances(0), new ModelRegistry(),
                registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.max-batch-instances must be positive");
    }

    @Test
    void portInUseFailsWithTheAddress() {
        try (PredictionServer first = PredictionServer.start(LOCAL, new ModelRegistry(), registry())) {
            ServingConfig taken = LOCAL.withHttpPort(first.port());

            assertThatThrownBy(() -> PredictionServer.start(taken, new ModelRegistry(), registry()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not listen on 127.0.0.1:" + first.port());
        }
    }

    private static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
