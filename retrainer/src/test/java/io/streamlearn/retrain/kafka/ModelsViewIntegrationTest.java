package io.streamlearn.retrain.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.RetrainFixtures;
import io.streamlearn.retrain.run.Champions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The models view on a real KRaft broker: each call catches up from the last one, read_committed. */
class ModelsViewIntegrationTest {

    private static final String MODEL = RetrainFixtures.MODEL;
    private static final String BATCH = Champions.batchKey(MODEL);
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void championsAreEachKeysNewestATombstoneRemovesAKeyAndLaterVersionsAreCaughtUp() {
        RetrainConfig config = config("view-newest", 3);
        try (KafkaProducer<String, byte[]> producer = producer(); ModelsView view = new ModelsView(config)) {
            for (long version = 1; version <= 3; version++) {
                producer.send(record(config, MODEL, snapshot(MODEL, version)));
            }
            producer.send(record(config, BATCH, snapshot(MODEL, 10)));
            producer.send(record(config, BATCH, snapshot(MODEL, 11)));
            producer.send(record(config, "other", snapshot("other", 1)));
            producer.flush();

            assertThat(versions(view.champions(MODEL))).containsExactly(3L, 11L);
            assertThat(view.models()).containsExactly("other", MODEL);

            producer.send(record(config, BATCH, null));
            producer.send(record(config, "other", null));
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(3L, null);
            assertThat(view.models()).containsExactly(MODEL);

            producer.send(record(config, MODEL, snapshot(MODEL, 4)));
            producer.send(record(config, BATCH, snapshot(MODEL, 12)));
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(4L, 12L);
            assertThat(view.champions("absent")).isEqualTo(new Champions(null, null));
        }
    }

    @Test
    void aLaterCallReadsOnlyTheRecordsWrittenSinceTheLastOne() {
        RetrainConfig config = config("view-incremental", 2);
        try (KafkaProducer<String, byte[]> producer = producer(); ModelsView view = new ModelsView(config)) {
            for (long version = 1; version <= 20; version++) {
                producer.send(record(config, version % 2 == 0 ? MODEL : BATCH, snapshot(MODEL, version)));
            }
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(20L, 19L);
            assertThat(view.recordsRead()).isEqualTo(20);
            assertThat(view.snapshotsFetched()).isEqualTo(2);

            assertThat(view.models()).containsExactly(MODEL);
            assertThat(view.recordsRead()).isEqualTo(20);
            assertThat(view.snapshotsFetched()).isEqualTo(2);

            producer.send(record(config, MODEL, snapshot(MODEL, 21)));
            producer.send(record(config, MODEL, snapshot(MODEL, 22)));
            producer.send(record(config, BATCH, snapshot(MODEL, 23)));
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(22L, 23L);
            assertThat(view.recordsRead()).isEqualTo(23);
            assertThat(view.snapshotsFetched()).isEqualTo(4);
        }
    }

    @Test
    void aVersionCommittedJustBeforeTheCallIsSeenAnAbortedOneIsNotAndAnOpenOneIsAwaited() throws Exception {
        RetrainConfig config = config("view-committed", 1);
        try (KafkaProducer<String, byte[]> producer = transactionalProducer("view-committed");
                ModelsView view = new ModelsView(config)) {
            producer.initTransactions();
            inTransaction(producer, record(config, MODEL, snapshot(MODEL, 1)));
            assertThat(versions(view.champions(MODEL))).containsExactly(1L, null);

            inTransaction(producer, record(config, BATCH, snapshot(MODEL, 2)));
            assertThat(versions(view.champions(MODEL))).containsExactly(1L, 2L);

            producer.beginTransaction();
            producer.send(record(config, BATCH, snapshot(MODEL, 3)));
            producer.abortTransaction();
            assertThat(versions(view.champions(MODEL))).containsExactly(1L, 2L);

            // A transaction open at the call is waited for: its records were written before the call.
            producer.beginTransaction();
            producer.send(record(config, BATCH, snapshot(MODEL, 4)));
            producer.flush();
            CompletableFuture<Champions> during = CompletableFuture.supplyAsync(() -> view.champions(MODEL));
            producer.commitTransaction();
            assertThat(versions(during.get(1, TimeUnit.MINUTES))).containsExactly(1L, 4L);
        }
    }

    @Test
    void partitionsAddedToTheTopicAreFollowed() throws Exception {
        RetrainConfig config = config("view-partitions", 1);
        try (KafkaProducer<String, byte[]> producer = producer(); ModelsView view = new ModelsView(config);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers()))) {
            producer.send(new ProducerRecord<>(config.modelsTopic(), 0, 1_000L, MODEL, encode(snapshot(MODEL, 1))));
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(1L, null);

            admin.createPartitions(Map.of(config.modelsTopic(), NewPartitions.increaseTo(2))).all().get();
            producer.send(new ProducerRecord<>(config.modelsTopic(), 1, 2_000L, MODEL, encode(snapshot(MODEL, 2))));
            producer.send(new ProducerRecord<>(config.modelsTopic(), 1, 2_000L, BATCH, encode(snapshot(MODEL, 3))));
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(2L, 3L);
            assertThat(view.recordsRead()).isEqualTo(3);
        }
    }

    @Test
    void aRecordedOffsetHoldingAnotherRecordIsAMissThatRebuildsTheIndex() throws Exception {
        RetrainConfig config = config("view-recreated", 1);
        try (KafkaProducer<String, byte[]> producer = producer(); ModelsView view = new ModelsView(config);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers()))) {
            producer.send(record(config, "other", snapshot("other", 1)));
            producer.send(record(config, "other", snapshot("other", 2)));
            producer.send(record(config, MODEL, snapshot(MODEL, 3)));
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(3L, null);

            // The topic recreated with as many records, none of them the model's: its recorded offset holds another.
            admin.deleteTopics(List.of(config.modelsTopic())).all().get();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !admin.listTopics().names().get().contains(config.modelsTopic()));
            broker.createTopic(config.modelsTopic(), 1, Map.of("cleanup.policy", "compact"));
            for (long version = 4; version <= 6; version++) {
                producer.send(record(config, "other", snapshot("other", version)));
            }
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(null, null);
            assertThat(versions(view.champions("other"))).containsExactly(6L, null);
        }
    }

    private static RetrainConfig config(String prefix, int partitions) {
        RetrainConfig config = RetrainConfig.of(RetrainFixtures.settings(broker, prefix)).validate();
        broker.createTopic(config.modelsTopic(), partitions, Map.of("cleanup.policy", "compact"));
        return config;
    }

    private static List<Long> versions(Champions champions) {
        return Arrays.asList(champions.onlineVersion().map(s -> s.metadata().version()).orElse(null),
                champions.batchVersion().map(s -> s.metadata().version()).orElse(null));
    }

    private static ModelSnapshot snapshot(String model, long version) {
        ModelSnapshot base = RetrainFixtures.onlineSnapshot();
        ModelMetadata metadata = base.metadata();
        return new ModelSnapshot(new ModelMetadata(model, version, metadata.learnerSpec(), metadata.schema(), Map.of(),
                0, 0, null, metadata.createdAt() + version, ModelSnapshotCodec.FORMAT_VERSION), base.learnerState());
    }

    private static byte[] encode(ModelSnapshot snapshot) {
        return ModelSnapshotCodec.encode(snapshot);
    }

    private static ProducerRecord<String, byte[]> record(RetrainConfig config, String key, ModelSnapshot snapshot) {
        return new ProducerRecord<>(config.modelsTopic(), key, snapshot == null ? null : encode(snapshot));
    }

    private static void inTransaction(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
        producer.beginTransaction();
        producer.send(record);
        producer.commitTransaction();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaProducer<String, byte[]> transactionalProducer(String id) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
}
