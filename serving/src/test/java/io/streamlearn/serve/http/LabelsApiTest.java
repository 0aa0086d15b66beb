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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@code POST /v1/models/{name}/labels} that come before any label is produced: the labels token, the
 * length of ids, unknown model names. This server has no Kafka cluster, so a label that passes them all is answered
 * 503 {@code labels_unavailable}; {@code FeedbackIntegrationTest} posts them to a real broker.
 */
class LabelsApiTest {

    private static final String TOKEN = "labels-t0ken";
    private static final Map<String, String> AUTHORIZED = Map.of("Authorization", "Bearer " + TOKEN);

    private static PredictionServer server;
    private static HttpJson http;

    @BeforeAll
    static void serve() {
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withLabelsToken(TOKEN), new ModelRegistry(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server.snapshots().load(TestModels.LINEAR, TestModels.encodedSnapshot(TestModels.linearSchema(),
                TestModels.linearLearner(), 1), "test");
        http = new HttpJson(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void labelsWithoutTheConfiguredTokenAreRefused() {
        String label = "{\"id\": \"a\", \"label\": 1.5}";

        Reply none = http.send("POST", "/v1/models/linear/labels", HttpJson.JSON_TYPE, label, Map.of());
        Reply wrong = http.send("POST", "/v1/models/linear/labels", HttpJson.JSON_TYPE, label,
                Map.of("Authorization", "Bearer not-the-token"));
        Reply right = http.send("POST", "/v1/models/linear/labels", HttpJson.JSON_TYPE, label, AUTHORIZED);

        assertThat(none.status()).as(none.body()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(right.status()).as(right.body()).isEqualTo(503);
        assertThat(right.json().get("error").asText()).isEqualTo("labels_unavailable");
    }

    @Test
    void idsLongerThan256CharactersAreRefused() {
        Reply longest = post("{\"id\": \"" + "i".repeat(256) + "\", \"label\": 1.5}");
        Reply tooLong = post("{\"labels\": [{\"id\": \"a\", \"label\": 1}, {\"id\": \"" + "i".repeat(257)
                + "\", \"label\": 1.5}]}");

        assertThat(longest.status()).as(longest.body()).isEqualTo(503);
        assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(400);
        assertThat(tooLong.json().get("detail").asText()).contains("at most 256 characters, got 257");
        assertThat(tooLong.json().get("field").asText()).isEqualTo("id");
    }

    @Test
    void labelsForUnknownModelsAre404sThatLeaveNoStateOrSeries() {
        for (int i = 0; i < 20; i++) {
            assertThat(post("/v1/models/invented-" + i + "/labels", "{\"id\": \"a\", \"label\": 1}").status())
                    .isEqualTo(404);
        }

        assertThat(server.models().all()).extracting(model -> model.name()).containsExactly(TestModels.LINEAR);
        assertThat(http.get("/metrics").body()).doesNotContain("invented-");
    }

    private static Reply post(String body) {
        return post("/v1/models/linear/labels", body);
    }

    private static Reply post(String path, String body) {
        return http.send("POST", path, HttpJson.JSON_TYPE, body, AUTHORIZED);
    }
}
