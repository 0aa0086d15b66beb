package io.streamlearn.retrain;

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
import io.streamlearn.retrain.learn.BatchChallengerTrainer;
import io.streamlearn.retrain.run.ChallengerTrainer;
import io.streamlearn.runtime.http.ServiceHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The retraining service on a real KRaft broker, with the real batch learner and a real prediction server. */
@ExtendWith(EmbeddedKafkaExtension.class)
class RetrainerIntegrationTest {

    /** Starts a retrainer, asks it for one run and returns the run's final record once it has one. */
    private static JsonNode runOneRequest(RetrainConfig config) throws Exception {
        try (Retrainer retrainer = Retrainer.start(config, BatchChallengerTrainer.fromSettings(
                config.retrainSettings()), new SimpleMeterRegistry(), 1, (short) 1)) {
            RetrainFixtures.requestRetrain(broker, config, 0);
            return last(awaitFinalRun(config));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedKafkaBroker broker;

    @Test
    void aRunWithoutLabelsIsRecordedFailedAndChangesNothingServed() throws Exception {
        RetrainConfig config = config("nolabels", Map.of());
        RetrainFixtures.produceEvents(broker, config, 0, 500, false, 12);
        RetrainFixtures.publishOnline(broker, config);
        JsonNode run = runOneRequest(config);
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("reason").asText()).startsWith("no_labels");
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.modelsTopic()))
                .extracting(ConsumerRecord::key).containsExactly("sign");
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.pinsTopic())).isEmpty();
    }

    @Test
    void aRunWithTooFewRowsIsRecordedFailed() throws Exception {
        RetrainConfig config = config("few", Map.of());
        RetrainFixtures.produceEvents(broker, config, 0, 100, true, 13);
        RetrainFixtures.publishOnline(broker, config);
        JsonNode run = runOneRequest(config);
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("reason").asText()).startsWith("too_few_rows");
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.pinsTopic())).isEmpty();
    }

    @Test
    void requestsArrivingDuringARunAreCoalescedIntoOneFollowingRun() throws Exception {
        RetrainConfig config = config("coalesce", Map.of("retrain.promote", "false"));
        RetrainFixtures.produceEvents(broker, config, 0, 600, true, 14);
        RetrainFixtures.publishOnline(broker, config);
        CountDownLatch release = new CountDownLatch(1);
        BatchChallengerTrainer real = BatchChallengerTrainer.fromSettings(config.retrainSettings());
        ChallengerTrainer held = (window, champions, trials) -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.train(window, champions, trials);
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Retrainer retrainer = Retrainer.start(config, held, registry, 1, (short) 1)) {
            RetrainFixtures.requestRetrain(broker, config, 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> !records(config).isEmpty());
            for (int i = 0; i < 3; i++) {
                RetrainFixtures.requestRetrain(broker, config, 100 + i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    registry.find("streamlearn.retrain.coalesced").counter() != null
                            && registry.find("streamlearn.retrain.coalesced").counter().count() == 3);
            release.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> finalRuns(config).size() == 2);
            List<JsonNode> runs = finalRuns(config);
            assertThat(runs.get(0).get("trigger")).hasSize(1);
            assertThat(runs.get(1).get("trigger")).hasSize(3);
            assertThat(runs).allSatisfy(run -> assertThat(run.get("status").asText()).isIn("succeeded", "rejected"));
        }
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.pinsTopic())).isEmpty();
    }

    @Test
    void theAdminTriggerNeedsTheToken() throws Exception {
        RetrainConfig config = config("admin", Map.of("admin.token", "s3cret", "retrain.window.min-rows", "100000"));
        try (Retrainer retrainer = Retrainer.start(config, BatchChallengerTrainer.fromSettings(
                config.retrainSettings()), new SimpleMeterRegistry(), 1, (short) 1);
                ServiceHttpServer http = ServiceHttpServer.start("retrainer", 0, retrainer.routes(),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), retrainer.liveness(),
                        retrainer::isRunning)) {
            String url = "http://localhost:" + http.port() + "/v1/models/sign/retrain";
            assertThat(post(url, null).statusCode()).isEqualTo(401);
            assertThat(post(url, "wrong").statusCode()).isEqualTo(401);
            assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.requestsTopic())).isEmpty();
            HttpResponse<String> accepted = post(url, "s3cret");
            assertThat(accepted.statusCode()).isEqualTo(202);
            List<ConsumerRecord<String, byte[]>> requests =
                    CommittedRecords.readAll(broker.bootstrapServers(), config.requestsTopic());
            assertThat(requests).hasSize(1);
            assertThat(JSON.readTree(requests.get(0).value()).get("reason").asText()).isEqualTo("admin");
            assertThat(requests.get(0).key()).isEqualTo("sign");
        }
        RetrainConfig disabled = config("admin-off", Map.of());
        try (Retrainer retrainer = Retrainer.start(disabled, BatchChallengerTrainer.fromSettings(
                disabled.retrainSettings()), new SimpleMeterRegistry(), 1, (short) 1);
                ServiceHttpServer http = ServiceHttpServer.start("retrainer", 0, retrainer.routes(),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), retrainer.liveness(),
                        retrainer::isRunning)) {
            HttpResponse<String> refused = post("http://localhost:" + http.port() + "/v1/models/sign/retrain",
                    "anything");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("admin_disabled");
        }
    }

    @Test
    void theScheduleAsksForARetrainOfEachModelThisInstanceOwns() throws Exception {
        RetrainConfig config = config("schedule", Map.of("retrain.schedule.interval", "1s"));
        RetrainFixtures.publishOnline(broker, config);
        try (Retrainer retrainer = Retrainer.start(config, BatchChallengerTrainer.fromSettings(
                config.retrainSettings()), new SimpleMeterRegistry(), 1, (short) 1)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !finalRuns(config).isEmpty());
        }
        List<ConsumerRecord<String, byte[]>> requests =
                CommittedRecords.readAll(broker.bootstrapServers(), config.requestsTopic());
        assertThat(requests).isNotEmpty().allSatisfy(request -> {
            assertThat(request.key()).isEqualTo("sign");
            assertThat(JSON.readTree(request.value()).get("reason").asText()).isEqualTo("schedule");
        });
        assertThat(finalRuns(config).get(0).get("trigger").get(0).get("reason").asText()).isEqualTo("schedule");
    }

    /**
     * An Error escaping a run (out of memory while training) kills its thread: the retrainer then answers 503 on
     * /health/live with the reason, counts the failure, and leaves the request uncommitted for the next owner of its
     * partition (the instance that runs after the restart).
     */
    @Test
    void aRunKilledByAnErrorMakesTheRetrainerNotLiveAndLeavesItsRequestUnanswered() throws Exception {
        RetrainConfig config = config("fatal", Map.of());
        RetrainFixtures.produceEvents(broker, config, 0, 600, true, 15);
        RetrainFixtures.publishOnline(broker, config);
        ChallengerTrainer dying = (window, champions, trials) -> {
            throw new OutOfMemoryError("simulated, training on " + window.size() + " rows");
        };
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Retrainer retrainer = Retrainer.start(config, dying, registry, 1, (short) 1);
                ServiceHttpServer http = ServiceHttpServer.start("retrainer", 0, retrainer.routes(), registry,
                        retrainer.liveness(), retrainer::isRunning)) {
            String base = "http://localhost:" + http.port();
            await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/health/ready").statusCode() == 200);
            assertThat(get(base + "/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(registry.scrape()).contains("streamlearn_service_failures_total{part=\"retrainer\"} 0.0",
                    "streamlearn_service_failures_total{part=\"retrainer-runs\"} 0.0");

            RetrainFixtures.requestRetrain(broker, config, 0);

            await().atMost(Duration.ofSeconds(90)).until(() -> get(base + "/health/live").statusCode() == 503);
            JsonNode live = JSON.readTree(get(base + "/health/live").body());
            assertThat(live.get("status").asText()).isEqualTo("DOWN");
            assertThat(live.get("reason").asText()).contains("a retraining run's thread died",
                    "java.lang.OutOfMemoryError: simulated, training on");
            assertThat(get(base + "/health/ready").statusCode()).isEqualTo(503);
            assertThat(registry.scrape()).contains("streamlearn_service_failures_total{part=\"retrainer\"} 1.0",
                    "streamlearn_service_alive{part=\"retrainer\"} 0.0",
                    "streamlearn_service_alive{part=\"retrainer-runs\"} 1.0");
        }
        assertThat(finalRuns(config)).as("no run was recorded final").isEmpty();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(admin.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)).as("offsets committed for the request").isEmpty();
        }
    }

    private static RetrainConfig config(String prefix, Map<String, String> extra) {
        return RetrainFixtures.config(broker, prefix, extra);
    }

    private static List<JsonNode> records(RetrainConfig config) {
        return RetrainFixtures.runs(broker, config);
    }

    private static List<JsonNode> finalRuns(RetrainConfig config) {
        return RetrainFixtures.finalRuns(broker, config);
    }

    private static List<JsonNode> awaitFinalRun(RetrainConfig config) {
        return RetrainFixtures.awaitFinalRun(broker, config);
    }

    private static JsonNode last(List<JsonNode> runs) {
        return runs.get(runs.size() - 1);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
