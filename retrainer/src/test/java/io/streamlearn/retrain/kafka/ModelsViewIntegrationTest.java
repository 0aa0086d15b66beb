package io.streamlearn.retrain.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.core.model.TrainingReferenceCodec;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.RetrainFixtures;
import io.streamlearn.retrain.run.Champions;
import io.streamlearn.retrain.run.RunStatus;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.runtime.kafka.ChunkedRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The models view on a real KRaft broker: each call catches up from the last one, read_committed; chunked snapshots
 * are reassembled, records written whole (before chunking) still load. Topics keep Kafka's default record limit.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ModelsViewIntegrationTest {

    private static final String MODEL = RetrainFixtures.MODEL;
    private static final String BATCH = ModelKeys.batch(MODEL);
    /** Kafka's default {@code message.max.bytes}, set on each topic whatever the shared broker allows. */
    private static final String DEFAULT_MAX_MESSAGE_BYTES = "1048588";
    private static EmbeddedKafkaBroker broker;

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

    /**
     * A sharded model's online champion is its snapshot put together with its shards' states of the same version
     * (docs/sharding.md); absent while a shard lags; the shards' keys are no models of their own.
     */
    @Test
    void aShardedChampionIsAssembledFromItsShardsOfTheSameVersion() {
        RetrainConfig config = config("view-sharded", 3);
        ModelSnapshot base = RetrainFixtures.onlineSnapshot();
        String spec = "meta.OzaBag -s 4";
        List<io.streamlearn.core.learn.OnlineLearner> shards = List.of(
                io.streamlearn.core.learn.LearnerFactory.createShard(spec, base.metadata().schema(), 0, 2),
                io.streamlearn.core.learn.LearnerFactory.createShard(spec, base.metadata().schema(), 1, 2));
        try (KafkaProducer<String, byte[]> producer = producer(); ModelsView view = new ModelsView(config)) {
            producer.send(record(config, MODEL, sharded(MODEL, 5, spec, new byte[] {0, 0, 0, 2})));
            producer.send(record(config, MODEL + "#0", sharded(MODEL + "#0", 5, spec, shards.get(0).snapshot())));
            producer.send(record(config, MODEL + "#1", sharded(MODEL + "#1", 4, spec, shards.get(1).snapshot())));
            producer.flush();
            assertThat(view.champions(MODEL).onlineVersion()).as("shard 1 is still at version 4").isEmpty();
            assertThat(view.models()).containsExactly(MODEL);

            producer.send(record(config, MODEL + "#1", sharded(MODEL + "#1", 5, spec, shards.get(1).snapshot())));
            producer.flush();
            ModelSnapshot champion = view.champions(MODEL).onlineVersion().orElseThrow();
            assertThat(champion.metadata().version()).isEqualTo(5);
            assertThat(((io.streamlearn.core.learn.ShardedEnsemble) champion.restoreLearner()).shardCount())
                    .isEqualTo(2);
        }
    }

    private static ModelSnapshot sharded(String name, long version, String spec, byte[] state) {
        ModelMetadata metadata = RetrainFixtures.onlineSnapshot().metadata();
        return new ModelSnapshot(new ModelMetadata(name, version, spec, metadata.schema(), Map.of(), 0, 0, null,
                metadata.createdAt() + version, ModelSnapshotCodec.FORMAT_VERSION).withShards(2), state);
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
            broker.createTopic(config.modelsTopic(), 1, Map.of("cleanup.policy", "compact",
                    "max.message.bytes", DEFAULT_MAX_MESSAGE_BYTES));
            for (long version = 4; version <= 6; version++) {
                producer.send(record(config, "other", snapshot("other", version)));
            }
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(null, null);
            assertThat(versions(view.champions("other"))).containsExactly(6L, null);
        }
    }

    /**
     * The retrainer's promotion (RetrainOutput, the path a run takes) of a 3 MiB batch model and a 40,000-row training
     * reference (2 MB) on topics with Kafka's default 1 MiB record limit and a producer with default limits: both are
     * written in chunks and read back as written, the model by the view, the reference by reassembling the topic.
     */
    @Test
    void aBatchModelAndATrainingReferenceLargerThanARecordArePublishedInChunksAndReadBackAsWritten() {
        RetrainConfig config = config("view-large", 3);
        broker.createTopic(config.driftReferencesTopic(), 2, Map.of("cleanup.policy", "compact",
                "max.message.bytes", DEFAULT_MAX_MESSAGE_BYTES));
        broker.createTopic(config.pinsTopic(), 1, Map.of("max.message.bytes", DEFAULT_MAX_MESSAGE_BYTES));
        broker.createTopic(config.runsTopic(), 1, Map.of("max.message.bytes", DEFAULT_MAX_MESSAGE_BYTES));
        ModelSnapshot model = batchSnapshot(1_700_000_900_000L, 3 << 20, 61);
        TrainingReference reference = reference(model.metadata().version(), 40_000, 62);
        TrainingRun run = TrainingRun.started("sign-1-1", MODEL, 1L, List.of())
                .finished(RunStatus.PROMOTED, null, 2L, model.metadata().version());
        try (RetrainOutput output = new RetrainOutput(config); ModelsView view = new ModelsView(config)) {
            output.publish(model, run, Optional.of(reference));

            ModelSnapshot read = view.champions(MODEL).batch();
            assertThat(read.metadata()).isEqualTo(model.metadata());
            assertThat(read.learnerState()).isEqualTo(model.learnerState());
            // The view waited for the transaction's markers on models; the reference's partition may lag behind.
            assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.modelsTopic()))
                    .hasSizeGreaterThan(6).allSatisfy(record -> {
                        assertThat(record.value().length).isLessThanOrEqualTo(BlobChunking.DEFAULT_CHUNK_BYTES + 64);
                        assertThat(BlobChunking.baseKey(record.key())).isEqualTo(BATCH);
                    });
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    RetrainFixtures.committedBlobs(broker, config.driftReferencesTopic()).containsKey(MODEL));
            byte[] rows = RetrainFixtures.committedBlobs(broker, config.driftReferencesTopic()).get(MODEL);
            assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.driftReferencesTopic()))
                    .hasSizeGreaterThan(2);
            assertThat(rows).isEqualTo(TrainingReferenceCodec.encode(reference)).hasSizeGreaterThan(1 << 20);
            assertThat(TrainingReferenceCodec.decode(rows)).isEqualTo(reference);
        }
    }

    /**
     * A version whose manifest lacks a chunk (what compaction can leave of an older blob, here written so) is skipped
     * and counted, and the view keeps the version before it, written whole before chunking existed; a complete chunked
     * version after it is read; one that does not verify is counted and not used.
     */
    @Test
    void aChunkedVersionMissingAChunkIsSkippedAndCountedAndACorruptOneIsNotUsed() {
        Map<String, String> small = new HashMap<>(RetrainFixtures.settings(broker, "view-chunks"));
        small.put("snapshot.chunk.bytes", "1024");
        RetrainConfig config = RetrainConfig.of(small).validate();
        broker.createTopic(config.modelsTopic(), 2, Map.of("cleanup.policy", "compact",
                "max.message.bytes", DEFAULT_MAX_MESSAGE_BYTES));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaProducer<String, byte[]> producer = producer(); ModelsView view = new ModelsView(config)) {
            view.bindTo(registry);
            producer.send(record(config, BATCH, snapshot(MODEL, 1)));
            List<ProducerRecord<String, byte[]>> incomplete = chunked(config, batchSnapshot(2, 10_000, 63));
            incomplete.remove(3);
            incomplete.forEach(producer::send);
            producer.flush();

            assertThat(versions(view.champions(MODEL))).containsExactly(null, 1L);
            assertThat(skipped(registry, "incomplete")).isEqualTo(1);

            chunked(config, batchSnapshot(3, 10_000, 64)).forEach(producer::send);
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(null, 3L);

            List<ProducerRecord<String, byte[]>> corrupt = chunked(config, batchSnapshot(4, 10_000, 65));
            byte[] chunk = corrupt.get(2).value();
            chunk[chunk.length - 1] ^= 0x55;
            corrupt.forEach(producer::send);
            producer.flush();
            assertThat(versions(view.champions(MODEL))).containsExactly(null, null);
            assertThat(skipped(registry, "corrupt")).isEqualTo(1);
            assertThat(skipped(registry, "incomplete")).isEqualTo(1);
            assertThat(view.models()).containsExactly(MODEL);
        }
    }

    private static double skipped(SimpleMeterRegistry registry, String reason) {
        return registry.get("streamlearn.retrain.models.skipped").tag("reason", reason).functionCounter().count();
    }

    /** A snapshot's records as a writer sends them: chunks to the key's partition, then the manifest. */
    private static List<ProducerRecord<String, byte[]>> chunked(RetrainConfig config, ModelSnapshot snapshot) {
        String key = ModelKeys.batch(snapshot.metadata().model());
        return new ArrayList<>(ChunkedRecords.producerRecords(config.modelsTopic(), 2,
                ModelSnapshotCodec.toRecords(key, encode(snapshot), config.chunking())));
    }

    /** A batch version whose learner state is {@code stateBytes} random bytes: it does not compress. */
    private static ModelSnapshot batchSnapshot(long version, int stateBytes, long seed) {
        ModelMetadata online = RetrainFixtures.onlineSnapshot().metadata();
        byte[] state = new byte[stateBytes];
        new Random(seed).nextBytes(state);
        return new ModelSnapshot(new ModelMetadata(MODEL, version, "xgboost", online.schema(), Map.of(), 0, 0, null,
                1_700_000_000_000L + version, ModelSnapshotCodec.FORMAT_VERSION, ModelMetadata.BATCH,
                Map.of(TrainingReference.PROVENANCE_KEY, Map.of("rows", 40_000))), state);
    }

    /** {@code rows} training rows of three numeric features. */
    private static TrainingReference reference(long version, int rows, long seed) {
        Random random = new Random(seed);
        List<TrainingReference.Row> read = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            read.add(new TrainingReference.Row(0, i, 1_700_000_000_000L + i, Map.of("x1", random.nextGaussian(),
                    "x2", random.nextGaussian(), "x3", random.nextGaussian())));
        }
        return new TrainingReference(MODEL, version, read);
    }

    private static RetrainConfig config(String prefix, int partitions) {
        RetrainConfig config = RetrainConfig.of(RetrainFixtures.settings(broker, prefix)).validate();
        broker.createTopic(config.modelsTopic(), partitions, Map.of("cleanup.policy", "compact",
                "max.message.bytes", DEFAULT_MAX_MESSAGE_BYTES));
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
