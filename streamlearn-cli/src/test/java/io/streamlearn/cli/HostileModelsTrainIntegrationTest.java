package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.learn.HostileSerialization;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code streamlearn train} runs, a trainer and the prediction server that reads its {@code models} topic in one
 * process, while someone writes hostile snapshots to that topic (issue 14, item 1): both stay live, the records are
 * rejected and counted, and the trainer's next snapshot is served.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class HostileModelsTrainIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int EVENTS = 300;
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @Test
    void theTrainerAndItsServerStayLiveThroughHostileSnapshotsAndServeTheNextVersion() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "trainer-hostile",
                "snapshot.interval.ms", "300",
                "kafka.state.dir", stateDir.toString()));
        TrainerConfig config = TrainerConfig.of(settings);
        TrainerTopics.createMissing(config, 1, (short) 1);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (TrainerApplication trainer = TrainerApplication.start(config,
                        List.of(new ModelDefinition(ToyModel.schema(), "bayes.NaiveBayes")), new SimpleMeterRegistry());
                PredictionServer server = PredictionServer.start(ServingConfig.fromMap(settings)
                        .withHttpHost("127.0.0.1").withHttpPort(0), registry, List.of(),
                        Liveness.of(trainer.failure()));
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringSerializer(), new ByteArraySerializer())) {
            String base = "http://127.0.0.1:" + server.port();
            produceEvents(config, 0);
            await().atMost(PATIENCE).until(() -> servedVersion(server) > 0);

            for (byte[] state : List.of(HostileSerialization.hugeLongArray(), HostileSerialization.nestedHashSets(),
                    HostileSerialization.nestedHashMaps())) {
                producer.send(new ProducerRecord<>(config.modelsTopic(), ToyModel.NAME, hostile(state)));
            }
            producer.flush();
            await().atMost(PATIENCE).until(() -> server.snapshots().rejectedCount() == 3);
            assertThat(get(base + "/health/live")).isEqualTo("{\"status\":\"UP\"}");
            assertThat(trainer.failure().reason()).isEmpty();
            long before = servedVersion(server);

            produceEvents(config, EVENTS);
            await().atMost(PATIENCE).until(() -> servedVersion(server) > before);
            assertThat(get(base + "/health/live")).isEqualTo("{\"status\":\"UP\"}");
            assertThat(registry.scrape()).contains("streamlearn_serve_snapshots_rejected_total 3.0",
                    "streamlearn_service_alive{part=\"trainer\"} 1.0",
                    "streamlearn_service_alive{part=\"model-follower\"} 1.0");
        }
    }

    /** A snapshot header the server would serve (a version far ahead of the trainer's) over a hostile state. */
    private static byte[] hostile(byte[] state) {
        ModelMetadata metadata = new ModelMetadata(ToyModel.NAME, 1_000_000, "bayes.NaiveBayes", ToyModel.schema(), Map.of(), 0, 0,
                null, 0, ModelSnapshotCodec.FORMAT_VERSION);
        return ModelSnapshotCodec.encode(new ModelSnapshot(metadata, state));
    }

    private static long servedVersion(PredictionServer server) {
        return server.models().find(ToyModel.NAME).map(model -> model.version()).orElse(0L);
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void produceEvents(TrainerConfig config, int from) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + EVENTS; i++) {
                producer.send(ToyModel.event(config.eventsTopic(), i));
            }
        }
    }
}
