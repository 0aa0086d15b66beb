package io.streamlearn.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.core.model.TrainingReferenceCodec;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.retrain.learn.BatchChallengerTrainer;
import io.streamlearn.retrain.run.Champions;
import io.streamlearn.retrain.window.DataVersion;
import io.streamlearn.retrain.window.TrainingWindow;
import io.streamlearn.runtime.http.ServiceHttpServer;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A retrained batch version end to end: requested, trained, gated, published, pinned and then served by a real
 * prediction server. It lives in the command-line module, which holds every service, so that the retrainer module
 * need not depend on the serving module (no service module depends on another, docs/architecture.md); the
 * retrainer's own fixtures come from its test-jar.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RetrainedVersionServedIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EmbeddedKafkaBroker broker;

    @Test
    void aDriftRequestTrainsAChallengerThatIsPublishedPinnedServedAndReproducible() throws Exception {
        RetrainConfig config = RetrainFixtures.config(broker, "promote", Map.of("admin.token", "s3cret"));
        RetrainFixtures.produceEvents(broker, config, 0, 2400, true, 11);
        RetrainFixtures.publishOnline(broker, config);
        ServingConfig serving = ServingConfig.defaults().withHttpPort(0).withBootstrapServers(broker.bootstrapServers())
                .withModelsTopic(config.modelsTopic()).withPinsTopic(config.pinsTopic());
        BatchChallengerTrainer trainer = BatchChallengerTrainer.fromSettings(config.retrainSettings());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (PredictionServer server = PredictionServer.start(serving,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
                Retrainer retrainer = Retrainer.start(config, trainer, registry, 1, (short) 1);
                ServiceHttpServer http = ServiceHttpServer.start("retrainer", 0, retrainer.routes(), registry,
                        retrainer.liveness(), retrainer::isRunning)) {
            RetrainFixtures.requestRetrain(broker, config, 400);

            List<JsonNode> records = RetrainFixtures.awaitFinalRun(broker, config);
            assertThat(records.get(0).get("status").asText()).isEqualTo("running");
            JsonNode run = records.get(records.size() - 1);
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("promoted");
            assertThat(run.get("rows").asInt()).isEqualTo(2000);
            assertThat(run.get("trigger").get(0).get("alerts").get(0).get("feature").asText()).isEqualTo("x1");
            assertThat(run.get("trials").size()).isGreaterThanOrEqualTo(3);
            assertThat(run.get("trials").get(0).get("curve").size()).isPositive();
            assertThat(run.get("device").asText()).isEqualTo("cpu");
            JsonNode events = run.get("dataVersion").get("events").get(0);
            assertThat(events.get("fromOffset").asLong()).isEqualTo(400);
            assertThat(events.get("toOffset").asLong()).isEqualTo(2400);
            long version = run.get("promotedVersion").asLong();

            ModelSnapshot snapshot = ModelSnapshotCodec.decode(RetrainFixtures.committedBlobs(broker,
                    config.modelsTopic()).get("sign@batch"));
            ModelMetadata metadata = snapshot.metadata();
            assertThat(metadata.version()).isEqualTo(version).isGreaterThan(1_700_000_000_000L);
            assertThat(metadata.isBatch()).isTrue();
            assertThat(metadata.provenance()).containsKeys("runId", "dataVersion", "schemaVersion", "params",
                    "testScores", "gate", "device", "durations", "libraries", "trigger");
            assertThat(metadata.provenance().get("runId")).isEqualTo(run.get("id").asText());
            assertThat(metadata.provenance().get("schemaVersion"))
                    .isEqualTo(DataVersion.schemaVersion(RetrainFixtures.SCHEMA));
            assertDriftReference(config, metadata);
            JsonNode pin = JSON.readTree(CommittedRecords.readAll(broker.bootstrapServers(), config.pinsTopic())
                    .get(0).value());
            assertThat(pin.get("model").asText()).isEqualTo("sign");
            assertThat(pin.get("version").asLong()).isEqualTo(version);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.models().find("sign")
                    .map(served -> served.version() == version).orElse(false));

            // Reading the data version again and training with the same settings gives the same model.
            DataVersion dataVersion = JSON.treeToValue(run.get("dataVersion"), DataVersion.class);
            TrainingWindow again = retrainer.windows().reread("sign", RetrainFixtures.SCHEMA, dataVersion,
                    config.windowMaxRows());
            assertThat(again.size()).isEqualTo(2000);
            ModelSnapshot retrained = trainer.train(again, new Champions(RetrainFixtures.onlineSnapshot(), null),
                    trial -> { }).challenger();
            assertThat(retrained.learnerState()).isEqualTo(snapshot.learnerState());

            String base = "http://localhost:" + http.port();
            await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/v1/runs").body().contains("promoted"));
            JsonNode list = JSON.readTree(get(base + "/v1/runs?model=sign").body());
            assertThat(list.get("runs").get(0).get("id").asText()).isEqualTo(run.get("id").asText());
            assertThat(JSON.readTree(get(base + "/v1/runs?model=other").body()).get("runs")).isEmpty();
            HttpResponse<String> one = get(base + "/v1/runs/" + run.get("id").asText());
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(one.body()).get("promotedVersion").asLong()).isEqualTo(version);
            HttpResponse<String> unknown = get(base + "/v1/runs/nope");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("unknown_run");
            // The code every service uses for a wrong parameter (ErrorReply), not a spelling of the retrainer's own.
            HttpResponse<String> badLimit = get(base + "/v1/runs?limit=many");
            assertThat(badLimit.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(badLimit.body()).get("error").asText()).isEqualTo("invalid_request");
            HttpResponse<String> page = get(base + "/runs");
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("text/html"));
            assertThat(page.body()).contains(run.get("id").asText(), "<svg", "promoted").doesNotContain("<script");
            assertThat(registry.scrape()).contains("streamlearn_retrain_runs_total{model=\"sign\",outcome=\"promoted\"} 1.0",
                    "streamlearn_retrain_device{device=\"cpu\",model=\"sign\"} 1.0");
        }
    }

    /**
     * With {@code snapshot.signing.key} set on the retrainer and the server (issue 14, item 5), a drift monitor's
     * request trains a batch version that is published signed, pinned and served. A batch champion that someone wrote
     * to {@code models} without the key (a working Hoeffding tree, marked batch) is neither trained against nor served:
     * without the check, both would have used it.
     */
    @Test
    void withASigningKeyTheBatchVersionIsPublishedSignedAndServedAndAnUnsignedChampionIsSkipped() throws Exception {
        String key = "retrainer-integration-test-signing-key-32+";
        SnapshotSigning signing = SnapshotSigning.of(key);
        RetrainConfig config = RetrainFixtures.config(broker, "signed", Map.of(SnapshotSigning.KEY, key));
        RetrainFixtures.produceEvents(broker, config, 0, 2400, true, 11);
        RetrainFixtures.publishOnline(broker, config, signing);
        RetrainFixtures.publish(broker, config.modelsTopic(), ModelKeys.batch(RetrainFixtures.MODEL), forgedBatch());
        ServingConfig serving = ServingConfig.defaults().withHttpPort(0).withBootstrapServers(broker.bootstrapServers())
                .withModelsTopic(config.modelsTopic()).withPinsTopic(config.pinsTopic()).withSnapshotSigningKey(key);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (PredictionServer server = PredictionServer.start(serving,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
                Retrainer retrainer = Retrainer.start(config, BatchChallengerTrainer.fromSettings(
                        config.retrainSettings()), registry, 1, (short) 1)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> server.snapshots().rejectedCount() == 1
                    && server.models().find("sign").map(served -> served.version() == 1).orElse(false));

            RetrainFixtures.requestRetrain(broker, config, 400);

            List<JsonNode> runs = RetrainFixtures.awaitFinalRun(broker, config);
            JsonNode run = runs.get(runs.size() - 1);
            assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("promoted");
            long version = run.get("promotedVersion").asLong();
            byte[] published = RetrainFixtures.committedBlobs(broker, config.modelsTopic()).get("sign@batch");
            assertThat(ModelSnapshotCodec.decode(signing.verify(published)).metadata().version()).isEqualTo(version);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.models().find("sign")
                    .map(served -> served.version() == version).orElse(false));
            assertThat(server.snapshots().rejectedCount()).isEqualTo(1);
            assertThat(registry.scrape()).contains(
                    "streamlearn_retrain_models_skipped_total{reason=\"unsigned\"} 1.0",
                    "streamlearn_retrain_runs_total{model=\"sign\",outcome=\"promoted\"} 1.0");
        }
    }

    /** The online fixture's working tree, marked as a batch version and written without the key. */
    private static byte[] forgedBatch() {
        ModelSnapshot online = RetrainFixtures.onlineSnapshot();
        ModelMetadata real = online.metadata();
        ModelMetadata batch = new ModelMetadata(real.model(), 2, real.learnerSpec(), real.schema(), Map.of(), 20, 20,
                null, real.createdAt(), ModelSnapshotCodec.FORMAT_VERSION, ModelMetadata.BATCH, Map.of());
        return ModelSnapshotCodec.encode(new ModelSnapshot(batch, online.learnerState()));
    }

    /**
     * The promotion's drift reference, committed with the version: the newest rows of the train split (all of them:
     * fewer than retrain.drift.reference.rows), in stream order, ending at the split's last train row, with the raw
     * feature values of their events.
     */
    private static void assertDriftReference(RetrainConfig config, ModelMetadata metadata) {
        Map<String, byte[]> references = RetrainFixtures.committedBlobs(broker, config.driftReferencesTopic());
        assertThat(references).containsOnlyKeys("sign");
        TrainingReference reference = TrainingReferenceCodec.decode(references.get("sign"));
        Map<?, ?> split = (Map<?, ?>) metadata.provenance().get("split");
        int trainRows = ((Number) split.get("trainRows")).intValue();
        assertThat(reference.version()).isEqualTo(metadata.version());
        assertThat(reference.rows()).hasSize(trainRows);
        assertThat(reference.rows()).extracting(TrainingReference.Row::offset).isSorted()
                .allSatisfy(offset -> assertThat(offset).isBetween(400L, 2399L));
        assertThat(reference.rows().get(trainRows - 1).timestamp())
                .isEqualTo(((Number) split.get("maxTrainTime")).longValue());
        assertThat(reference.rows()).allSatisfy(row -> assertThat(row.values()).containsOnlyKeys("x1", "x2")
                .allSatisfy((name, value) -> assertThat(value).isInstanceOf(Double.class)));
        assertThat(metadata.provenance().get(TrainingReference.PROVENANCE_KEY)).isEqualTo(Map.of("rows", trainRows,
                "fromTime", reference.rows().get(0).timestamp(), "toTime", split.get("maxTrainTime")));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
