package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void notReadyUntilAModelIsServedThenReady() {
        try (PredictionServer server = PredictionServer.start(
                ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0), new ModelRegistry(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HttpJson http = new HttpJson(server.port());

            Reply before = http.get("/health/ready");
            assertThat(before.status()).isEqualTo(503);
            assertThat(before.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(before.json().get("reason").asText()).isEqualTo("no model is loaded yet");
            assertThat(http.get("/health/live").status()).isEqualTo(200);

            server.snapshots().load(TestModels.LINEAR, TestModels.encodedSnapshot(TestModels.linearSchema(),
                    TestModels.linearLearner(), 1), "test");

            Reply after = http.get("/health/ready");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.json().get("status").asText()).isEqualTo("UP");
        }
    }
}
