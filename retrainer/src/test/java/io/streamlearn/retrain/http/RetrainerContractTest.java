package io.streamlearn.retrain.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.RetrainFixtures;
import io.streamlearn.retrain.Retrainer;
import io.streamlearn.retrain.learn.BatchChallengerTrainer;
import io.streamlearn.runtime.contract.OpenApiContract;
import io.streamlearn.runtime.contract.RecordSchemas;
import io.streamlearn.runtime.http.ServiceHttpServer;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/contracts/openapi/retrainer.json against a retrainer on a real broker with the real batch learner: the document
 * it answers names exactly its router's routes, every operation answers as documented (a run triggered through the
 * admin route included), and the records it wrote on retrain-requests and training-runs match their schemas.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RetrainerContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret";

    private static EmbeddedKafkaBroker broker;

    @Test
    void theRetrainerAnswersAndWritesAsDocumented() throws Exception {
        RetrainConfig config = RetrainFixtures.config(broker, "contract", Map.of("admin.token", TOKEN));
        RetrainFixtures.produceEvents(broker, config, 0, 600, true, 21);
        RetrainFixtures.publishOnline(broker, config);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Retrainer retrainer = Retrainer.start(config, BatchChallengerTrainer.fromSettings(
                config.retrainSettings()), new SimpleMeterRegistry(), 1, (short) 1);
                ServiceHttpServer http = ServiceHttpServer.start("retrainer", 0, retrainer.routes(), registry,
                        retrainer.liveness(), retrainer::isRunning)) {
            OpenApiContract api = OpenApiContract.of(http.port());
            api.assertDescribesExactly(http.routes());
            await().atMost(Duration.ofSeconds(60)).until(() -> api.call("GET", "/health/ready", "/health/ready",
                    null).statusCode() == 200);

            String retrain = "/v1/models/{name}/retrain";
            assertThat(api.call("POST", retrain, "/v1/models/sign/retrain", null).statusCode()).isEqualTo(401);
            assertThat(api.call("POST", retrain, "/v1/models/sign/retrain", null, "Authorization", "Bearer " + TOKEN)
                    .statusCode()).isEqualTo(202);
            JsonNode run = RetrainFixtures.awaitFinalRun(broker, config).stream()
                    .filter(record -> !record.get("status").asText().equals("running")).findFirst().orElseThrow();
            // The run store follows the topic: wait until it holds the final record the topic has.
            await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(api.call("GET", "/v1/runs/{id}",
                    "/v1/runs/" + run.get("id").asText(), null).body()).get("status").equals(run.get("status")));
            assertThat(api.call("GET", "/v1/runs/{id}", "/v1/runs/sign-0000000000000-0000", null).statusCode())
                    .isEqualTo(404);
            api.call("GET", "/v1/runs", "/v1/runs", null);
            api.call("GET", "/v1/runs", "/v1/runs?model=sign&limit=1", null);
            assertThat(api.call("GET", "/v1/runs", "/v1/runs?limit=0", null).statusCode()).isEqualTo(400);
            api.call("GET", "/runs", "/runs", null);
            api.call("GET", "/health/live", "/health/live", null);
            api.call("GET", "/metrics", "/metrics", null);
            api.call("GET", "/openapi.json", "/openapi.json", null);
            api.assertEverySuccessAnswered();
        }
        RecordSchemas schemas = RecordSchemas.fromDocs();
        for (ConsumerRecord<String, byte[]> request : CommittedRecords.readAll(broker.bootstrapServers(),
                config.requestsTopic())) {
            schemas.assertValid(RecordSchemas.RETRAIN_REQUEST, request.value());
        }
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.runsTopic())).hasSizeGreaterThan(1)
                .allSatisfy(record -> schemas.assertValid(RecordSchemas.TRAINING_RUN, record.value()));
    }
}
