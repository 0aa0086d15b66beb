package io.streamlearn.serve.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.chunk.BlobChunk;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.BlobManifest;
import io.streamlearn.core.learn.HostileSerialization;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.kafka.TopicFollower;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.TestModels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server follows a real compacted {@code models} topic, written as the trainer writes it: in transactions. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ModelFollowerIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    private static EmbeddedKafkaBroker broker;
    private static FeatureSchema schema;
    private static OnlineLearner learner;

    @BeforeAll
    static void loadFixtures() {
        schema = TestModels.electricity().schema();
        learner = TestModels.electricityLearner(TestModels.TRAINING_ROWS);
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
     * Snapshots in chunks of 1 KiB (about a dozen records each) on a topic the broker compacts while the test writes:
     * a committed large version, an aborted one, a committed smaller one (fewer chunks, so compaction leaves the
     * first one's higher chunks behind), one aborted after its chunks, and a last committed one. A server following
     * from the start after compaction, and one that followed all along, serve only committed versions, whole, and end
     * on the last; nothing is rejected.
     */
    @Test
    void servesChunkedSnapshotsWholeThroughCompactionAndAbortedTransactions() throws Exception {
        String topic = "models-chunked";
        broker.createTopic(topic, 1, Map.of("cleanup.policy", "compact", "segment.ms", "100",
                "min.cleanable.dirty.ratio", "0.01", "min.compaction.lag.ms", "0", "delete.retention.ms", "0"));
        BlobChunking chunking = new BlobChunking(1024, 1L << 30);
        byte[] large = TestModels.encodedSnapshot(schema, TestModels.electricityLearner(30_000), 1);
        byte[] small = TestModels.encodedSnapshot(schema, TestModels.electricityLearner(200), 3);
        List<BlobChunking.Part> first = ModelSnapshotCodec.toRecords(TestModels.ELECTRICITY, large, chunking);
        List<BlobChunking.Part> third = ModelSnapshotCodec.toRecords(TestModels.ELECTRICITY, small, chunking);
        assertThat(first.size()).isGreaterThan(third.size() + 2);
        try (PredictionServer following = PredictionServer.start(config(topic), registry());
                KafkaProducer<String, byte[]> producer = transactionalProducer("chunked")) {
            HttpJson http = new HttpJson(following.port());
            List<Long> served = new java.util.concurrent.CopyOnWriteArrayList<>();
            following.snapshots().addListener(new io.streamlearn.serve.SnapshotLoader.Listener() {
                @Override
                public void loaded(io.streamlearn.serve.ServedModel model, long nanos) {
                    served.add(model.version());
                }

                @Override
                public void rejected(String knownModel) {
                }
            });
            publishParts(producer, topic, first, true);
            await().atMost(PATIENCE).until(() -> servedVersion(http) == 1);
            publishParts(producer, topic, ModelSnapshotCodec.toRecords(TestModels.ELECTRICITY, snapshot(2), chunking),
                    false);
            publishParts(producer, topic, third, true);
            List<BlobChunking.Part> fourth = ModelSnapshotCodec.toRecords(TestModels.ELECTRICITY, snapshot(4), chunking);
            publishParts(producer, topic, fourth.subList(0, fourth.size() - 1), false);
            publishParts(producer, topic, ModelSnapshotCodec.toRecords(TestModels.ELECTRICITY, snapshot(5), chunking),
                    true);
            await().atMost(PATIENCE).until(() -> servedVersion(http) == 5);

            java.util.UUID firstBlob = BlobManifest.decode(first.get(first.size() - 1).value()).blobId();
            // Tombstones of another key roll segments (segment.ms) until the cleaner has dropped chunks of the first
            // version that later versions replaced, leaving its higher chunks behind.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
                publishParts(producer, topic, List.of(new BlobChunking.Part("filler", null)), true);
                return chunksOf(topic, firstBlob) < first.size() - 1;
            });
            assertThat(served).containsExactly(1L, 3L, 5L);

            try (PredictionServer fresh = PredictionServer.start(config(topic), registry())) {
                HttpJson freshHttp = new HttpJson(fresh.port());
                await().atMost(PATIENCE).until(() -> servedVersion(freshHttp) == 5);
                assertThat(fresh.snapshots().rejectedCount()).isZero();
                JsonNode prediction = freshHttp.post("/v1/models/electricity/predict", "{\"features\": "
                        + TestModels.features(TestModels.unseenRows(1).get(0)) + "}").json();
                assertThat(prediction.get("version").asLong()).isEqualTo(5);
            }
            assertThat(following.snapshots().rejectedCount()).isZero();
        }
    }

    /** The records of a blob that a read_uncommitted reader still finds on the topic (aborted ones included). */
    private static long chunksOf(String topic, java.util.UUID blob) {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_uncommitted",
                "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class,
                "value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class))) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long count = 0;
            while (consumer.position(partition) < end) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null && BlobChunk.isChunk(record.value())
                            && BlobChunk.decode(record.value()).blobId().equals(blob)) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    private static void publishParts(KafkaProducer<String, byte[]> producer, String topic,
            List<BlobChunking.Part> parts, boolean commit) {
        producer.beginTransaction();
        for (BlobChunking.Part part : parts) {
            producer.send(new ProducerRecord<>(topic, part.key(), part.value()));
        }
        producer.flush();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    /**
     * An Error that no record can cause (the JVM's own InternalError) ends a follower's thread, where one a record can
     * cause (an OutOfMemoryError decoding it) only skips it (HostileSnapshotIntegrationTest): the process then says
     * so on /health/live instead of serving ever older models.
     */
    @Test
    void aFollowerThreadKilledByAnErrorMakesTheProcessNotLiveAndIsCounted() {
        String topic = "models-fatal";
        broker.createTopic(topic, 1, COMPACTED);
        PrometheusMeterRegistry registry = registry();
        try (TopicFollower follower = new TopicFollower(config(topic).followerSettings(), topic, "streamlearn-fatal-follower", record -> {
                    throw new InternalError("simulated, decoding a snapshot of " + record.key());
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
                    "java.lang.InternalError: simulated, decoding a snapshot of electricity");
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

    /**
     * Records on {@code models} with a valid snapshot header whose learner state attacks the reader (issue 14, item 1):
     * a serialized {@code long[1 << 28]} that would allocate 2 GiB, and SerialDOS graphs of nested sets and maps that
     * would hash for ever. Each is rejected and counted, the server stays live, and the next good version is served.
     */
    @Test
    void aHugeArrayOrASerialDosGraphAsLearnerStateIsRejectedAndTheNextVersionServed() {
        String topic = "models-hostile";
        broker.createTopic(topic, 1, COMPACTED);
        PrometheusMeterRegistry registry = registry();
        try (PredictionServer server = PredictionServer.start(config(topic), registry);
                KafkaProducer<String, byte[]> producer = transactionalProducer("hostile")) {
            HttpJson http = new HttpJson(server.port());
            publish(producer, topic, snapshot(1), true);
            await().atMost(PATIENCE).until(() -> servedVersion(http) == 1);

            byte[] hugeArray = hostile(2, HostileSerialization.hugeLongArray());
            assertThat(hugeArray).hasSizeLessThan(4096);
            publish(producer, topic, hugeArray, true);
            publish(producer, topic, hostile(3, HostileSerialization.nestedHashSets()), true);
            publish(producer, topic, hostile(4, HostileSerialization.nestedHashMaps()), true);

            await().atMost(PATIENCE).until(() -> server.snapshots().rejectedCount() == 3);
            assertThat(http.get("/health/live").json().toString()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
            assertThat(servedVersion(http)).isEqualTo(1);
            assertThat(registry.scrape()).contains("streamlearn_serve_snapshots_rejected_total 3.0",
                    "streamlearn_serve_model_load_failures_total{model=\"electricity\"} 3.0",
                    "streamlearn_service_alive{part=\"model-follower\"} 1.0");

            publish(producer, topic, snapshot(5), true);
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
        broker.createTopic(topic, 1, COMPACTED);
        AtomicLong handled = new AtomicLong();
        try (TopicFollower follower = new TopicFollower(config(topic).followerSettings(), topic, "streamlearn-oom-follower", record -> {
                    if (record.offset() == 0) {
                        throw new OutOfMemoryError("simulated, decoding a snapshot of " + record.key());
                    }
                    handled.incrementAndGet();
                });
                KafkaProducer<String, byte[]> producer = transactionalProducer("oom")) {
            follower.start();
            publish(producer, topic, snapshot(1), true);
            publish(producer, topic, snapshot(2), true);

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
