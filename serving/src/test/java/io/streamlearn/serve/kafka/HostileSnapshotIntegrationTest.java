package io.streamlearn.serve.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.learn.HostileSerialization;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.TestModels;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records on {@code models} with a valid snapshot header whose learner state attacks the reader (issue 14, item 1): a
 * serialized {@code long[1 << 28]} that would allocate 2 GiB, and SerialDOS graphs that would hash for ever. Each is
 * rejected and counted, the server stays live, and the next good version is served.
 */
class HostileSnapshotIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final AtomicLong PRODUCERS = new AtomicLong();

    private static EmbeddedKafkaBroker broker;
    private static FeatureSchema schema;
    private static OnlineLearner learner;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        schema = TestModels.electricity().schema();
        learner = TestModels.electricityLearner(TestModels.TRAINING_ROWS);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aHugeArrayOrASerialDosGraphAsLearnerStateIsRejectedAndTheNextVersionServed() {
        String topic = "models-hostile";
        broker.createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (PredictionServer server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1")
                        .withHttpPort(0).withBootstrapServers(broker.bootstrapServers()).withModelsTopic(topic), registry);
                KafkaProducer<String, byte[]> producer = producer()) {
            HttpJson http = new HttpJson(server.port());
            publish(producer, topic, TestModels.encodedSnapshot(schema, learner, 1));
            await().atMost(PATIENCE).until(() -> servedVersion(http) == 1);

            byte[] hugeArray = hostile(2, HostileSerialization.hugeLongArray());
            assertThat(hugeArray).hasSizeLessThan(4096);
            publish(producer, topic, hugeArray);
            publish(producer, topic, hostile(3, HostileSerialization.nestedHashSets()));
            publish(producer, topic, hostile(4, HostileSerialization.nestedHashMaps()));

            await().atMost(PATIENCE).until(() -> server.snapshots().rejectedCount() == 3);
            assertThat(http.get("/health/live").json().toString()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
            assertThat(servedVersion(http)).isEqualTo(1);
            assertThat(registry.scrape()).contains("streamlearn_serve_snapshots_rejected_total 3.0",
                    "streamlearn_serve_model_load_failures_total{model=\"electricity\"} 3.0",
                    "streamlearn_service_alive{part=\"model-follower\"} 1.0");

            publish(producer, topic, TestModels.encodedSnapshot(schema, learner, 5));
            await().atMost(PATIENCE).until(() -> servedVersion(http) == 5);
            JsonNode prediction = http.post("/v1/models/electricity/predict", "{\"features\": "
                    + TestModels.features(TestModels.unseenRows(1).get(0)) + "}").json();
            assertThat(prediction.get("version").asLong()).isEqualTo(5);
            assertThat(http.get("/health/live").status()).isEqualTo(200);
        }
    }

    /** A follower whose handler runs out of memory on one record skips that record, stays live and reads on. */
    @Test
    void aFollowerSkipsARecordWhoseHandlerRanOutOfMemoryAndReadsOn() {
        String topic = "models-oom";
        broker.createTopic(topic, 1, Map.of());
        AtomicLong handled = new AtomicLong();
        ServingConfig config = ServingConfig.defaults().withBootstrapServers(broker.bootstrapServers());
        try (TopicFollower follower = new TopicFollower(config, topic, "streamlearn-oom-follower", record -> {
                    if (record.offset() == 0) {
                        throw new OutOfMemoryError("simulated, decoding a snapshot of " + record.key());
                    }
                    handled.incrementAndGet();
                });
                KafkaProducer<String, byte[]> producer = producer()) {
            follower.start();
            publish(producer, topic, new byte[] {1});
            publish(producer, topic, new byte[] {2});

            await().atMost(PATIENCE).until(() -> handled.get() == 1);
            assertThat(follower.skippedCount()).isEqualTo(1);
            assertThat(follower.liveness().failure()).isEmpty();
            assertThat(follower.isRunning()).isTrue();
        }
    }

    /** A snapshot of the electricity model whose header is valid and whose learner state is {@code state}. */
    private static byte[] hostile(long version, byte[] state) {
        ModelSnapshot good = TestModels.snapshot(schema, learner, version);
        return ModelSnapshotCodec.encode(new ModelSnapshot(good.metadata(), state));
    }

    private static long servedVersion(HttpJson http) {
        JsonNode model = http.get("/v1/models/electricity").json();
        return model.has("version") ? model.get("version").asLong() : 0;
    }

    private static void publish(KafkaProducer<String, byte[]> producer, String topic, byte[] value) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, TestModels.ELECTRICITY, value));
        producer.commitTransaction();
    }

    private static KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "hostile-snapshot-test-" + PRODUCERS.incrementAndGet(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        producer.initTransactions();
        return producer;
    }
}
