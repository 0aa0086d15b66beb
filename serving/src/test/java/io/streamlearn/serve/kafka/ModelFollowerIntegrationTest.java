package io.streamlearn.serve.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.TestModels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server follows a real compacted {@code models} topic, written as the trainer writes it: in transactions. */
class ModelFollowerIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

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
    void servesTheNewestCommittedSnapshotAndSkipsCorruptOnes() {
        String topic = "models-follow";
        broker.createTopic(topic, 1, COMPACTED);
        try (PredictionServer server = PredictionServer.start(config(topic), registry());
                KafkaProducer<String, byte[]> producer = transactionalProducer("follow")) {
            HttpJson http = new HttpJson(server.port());
            assertThat(http.get("/health/ready").status()).isEqualTo(503);

            publish(producer, topic, snapshot(1), true);
            await().atMost(PATIENCE).until(() -> servedVersion(http) == 1);
            assertThat(http.get("/health/ready").status()).isEqualTo(200);

            // An aborted snapshot is invisible under read_committed; served, it would shadow version 2 forever.
            publish(producer, topic, snapshot(99), false);
            publish(producer, topic, snapshot(2), true);
            await().atMost(PATIENCE).until(() -> servedVersion(http) == 2);

            publish(producer, topic, "corrupt".getBytes(), true);
            await().atMost(PATIENCE).until(() -> server.snapshots().rejectedCount() == 1);
            assertThat(servedVersion(http)).isEqualTo(2);
            JsonNode prediction = http.post("/v1/models/electricity/predict", "{\"features\": "
                    + TestModels.features(TestModels.unseenRows(1).get(0)) + "}").json();
            assertThat(prediction.get("version").asLong()).isEqualTo(2);
        }
    }

    @Test
    void waitsForATopicCreatedAfterTheServerStarted() {
        String topic = "models-late";
        try (PredictionServer server = PredictionServer.start(config(topic), registry());
                KafkaProducer<String, byte[]> producer = transactionalProducer("late")) {
            HttpJson http = new HttpJson(server.port());
            assertThat(http.get("/health/ready").json().get("reason").asText()).isEqualTo("no model is loaded yet");

            broker.createTopic(topic, 2, COMPACTED);
            publish(producer, topic, snapshot(7), true);

            await().atMost(PATIENCE).until(() -> servedVersion(http) == 7);
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
        }
    }

    /**
     * An Error ends a follower's thread (the loop catches exceptions per record, an OutOfMemoryError decoding a huge
     * snapshot is no exception): the process then says so on /health/live instead of serving ever older models.
     */
    @Test
    void aFollowerThreadKilledByAnErrorMakesTheProcessNotLiveAndIsCounted() {
        String topic = "models-fatal";
        broker.createTopic(topic, 1, COMPACTED);
        PrometheusMeterRegistry registry = registry();
        try (TopicFollower follower = new TopicFollower(config(topic), topic, "streamlearn-fatal-follower", record -> {
                    throw new OutOfMemoryError("simulated, decoding a snapshot of " + record.key());
                });
                PredictionServer server = PredictionServer.start(config("models-fatal-unused"), registry, List.of(),
                        follower.liveness());
                KafkaProducer<String, byte[]> producer = transactionalProducer("fatal")) {
            follower.start();
            HttpJson http = new HttpJson(server.port());
            assertThat(http.get("/health/live").json().toString()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(registry.scrape()).contains("streamlearn_service_failures_total{part=\"fatal-follower\"} 0.0",
                    "streamlearn_service_alive{part=\"fatal-follower\"} 1.0");

            publish(producer, topic, snapshot(1), true);

            await().atMost(PATIENCE).until(() -> http.get("/health/live").status() == 503);
            JsonNode live = http.get("/health/live").json();
            assertThat(live.get("status").asText()).isEqualTo("DOWN");
            assertThat(live.get("reason").asText()).contains("the follower of topic 'models-fatal' stopped",
                    "java.lang.OutOfMemoryError: simulated, decoding a snapshot of electricity");
            HttpJson.Reply ready = http.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().get("reason").asText()).isEqualTo(live.get("reason").asText());
            assertThat(http.get("/v2/health/live").json().toString()).isEqualTo("{\"live\":false}");
            assertThat(follower.isRunning()).isFalse();
            assertThat(registry.scrape()).contains("streamlearn_service_failures_total{part=\"fatal-follower\"} 1.0",
                    "streamlearn_service_alive{part=\"fatal-follower\"} 0.0",
                    "streamlearn_service_alive{part=\"model-follower\"} 1.0",
                    "streamlearn_service_alive{part=\"pin-follower\"} 1.0");
        }
    }

    private static ServingConfig config(String topic) {
        return ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withBootstrapServers(broker.bootstrapServers()).withModelsTopic(topic);
    }

    private static byte[] snapshot(long version) {
        return TestModels.encodedSnapshot(schema, learner, version);
    }

    private static long servedVersion(HttpJson http) {
        JsonNode model = http.get("/v1/models/electricity").json();
        return model.has("version") ? model.get("version").asLong() : 0;
    }

    private static void publish(KafkaProducer<String, byte[]> producer, String topic, byte[] value, boolean commit) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, TestModels.ELECTRICITY, value));
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    private static KafkaProducer<String, byte[]> transactionalProducer(String id) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "model-follower-test-" + id,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        producer.initTransactions();
        return producer;
    }

    private static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
