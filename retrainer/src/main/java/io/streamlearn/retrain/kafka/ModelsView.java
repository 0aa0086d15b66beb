package io.streamlearn.retrain.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.ShardAssembler;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.kafka.ModelsIndex.Location;
import io.streamlearn.retrain.kafka.ModelsIndex.Shape;
import io.streamlearn.retrain.run.Champions;
import io.streamlearn.retrain.run.RunPorts.ChampionSource;
import io.streamlearn.runtime.health.PartFailure;
import io.streamlearn.runtime.kafka.KafkaAdmin;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compacted {@code models} topic as the retrainer needs it: the champions of a run (the newest record of
 * {@code <model>} and of {@code <model>@batch}) and the models the schedule knows.
 *
 * <p>One long-lived {@code read_committed} consumer, assigned to every partition, keeps a {@link ModelsIndex} of where
 * each key's newest usable value lies: a record written whole, or a chunked blob whose chunks were all read before its
 * manifest (the retrainer's and the trainer's snapshots are chunked, {@link BlobChunking}). Each call first catches up from where the last one stopped to the end offsets (high
 * watermarks) taken at the call, waiting for the transactions open then to be decided, so a run sees every snapshot
 * committed before it started, including the version the previous run promoted, while reading only the records written
 * since the last call. The index keeps no value bytes (only a record's kind, and a chunk's or manifest's blob id and
 * count); a run's two snapshots are then fetched by offset ({@link SnapshotFetcher}, a second consumer), a chunked one
 * as the range from its first chunk to its manifest, reassembled and verified. A manifest without all its chunks
 * (left by compaction beside a newer blob) is skipped by the index, and a blob that does not verify, a snapshot that
 * does not decode, or one not signed with {@value SnapshotSigning#KEY} while that is set, is not used (the champion is
 * then absent); all are counted in {@code streamlearn.retrain.models.skipped}. When compaction has
 * removed a recorded offset (a newer record of the key was committed after the catch-up), the view catches up again
 * and looks again; if the key's place did not move (the topic was recreated or truncated), it rebuilds the index from
 * the beginning of the topic.
 *
 * <p>Calls are serialised (runs and the schedule may call at once; a Kafka consumer is single-threaded).
 */
public final class ModelsView implements ChampionSource, MeterBinder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelsView.class);
    private static final Duration POLL = Duration.ofMillis(200);
    static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final String topic;
    private final Admin admin;
    private final KafkaConsumer<String, Shape> follower;
    private final SnapshotFetcher fetcher;
    private final ModelsIndex index = new ModelsIndex();
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong snapshotsFetched = new AtomicLong();
    private final AtomicLong incompleteSkipped = new AtomicLong();
    private final AtomicLong corruptSkipped = new AtomicLong();
    private final AtomicLong unsignedSkipped = new AtomicLong();
    private final SnapshotSigning signing;
    private boolean closed;

    public ModelsView(RetrainConfig config) {
        this.topic = config.modelsTopic();
        this.signing = config.snapshotSigning();
        this.admin = KafkaAdmin.create(config.bootstrapServers(), config.kafkaProperties());
        Map<String, Object> following = KafkaClients.consumer(config, "streamlearn-retrainer-models");
        following.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.follower = new KafkaConsumer<>(following, new StringDeserializer(), new ShapeDeserializer());
        this.fetcher = new SnapshotFetcher(config, snapshotsFetched, corruptSkipped);
    }

    @Override
    public synchronized Champions champions(String model) {
        catchUp();
        return new Champions(online(model), snapshot(ModelKeys.batch(model)));
    }

    /**
     * The newest online version: a sharded model's is its own snapshot put together with its shards' states of the
     * same version ({@link ShardAssembler}); absent while a shard has not published that version yet.
     */
    private ModelSnapshot online(String model) {
        ModelSnapshot snapshot = snapshot(model);
        if (snapshot == null || !snapshot.metadata().isSharded()) {
            return snapshot;
        }
        ShardAssembler shards = new ShardAssembler();
        for (int shard = 0; shard < snapshot.metadata().shards(); shard++) {
            String key = model + ModelDefinition.SHARD_SEPARATOR + shard;
            ModelSnapshot state = snapshot(key);
            if (state != null) {
                shards.accept(key, state);
            }
        }
        Optional<ModelSnapshot> whole = shards.accept(model, snapshot);
        if (whole.isEmpty()) {
            LOG.info("The online champion of '{}' is not used: not every shard has published its version {} yet",
                    model, snapshot.metadata().version());
        }
        return whole.orElse(null);
    }

    /** The models with an online or batch version (a sharded model's shards are part of it, not models). */
    public synchronized Set<String> models() {
        catchUp();
        Set<String> models = new TreeSet<>();
        index.keys().stream().filter(key -> !key.contains(ModelDefinition.SHARD_SEPARATOR))
                .forEach(key -> models.add(ModelKeys.model(key)));
        return models;
    }

    /** Records of the topic read into the index since the view was created, tombstones included. */
    public long recordsRead() {
        return recordsRead.get();
    }

    /** Snapshots fetched by offset for runs. */
    public long snapshotsFetched() {
        return snapshotsFetched.get();
    }

    /**
     * Snapshots not used: manifests read without all their chunks, blobs that did not verify or decode, and snapshots
     * not signed with the configured key.
     */
    public long snapshotsSkipped() {
        return incompleteSkipped.get() + corruptSkipped.get() + unsignedSkipped.get();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("streamlearn.retrain.models.records", recordsRead, AtomicLong::get)
                .description("Records of the models topic read to index the champions").register(registry);
        FunctionCounter.builder("streamlearn.retrain.models.snapshots", snapshotsFetched, AtomicLong::get)
                .description("Champion snapshots fetched from the models topic by offset").register(registry);
        String skipped = "Snapshots of the models topic not used: a manifest read without all its chunks "
                + "(incomplete: expected after compaction, a newer snapshot follows), one that did not decode or "
                + "verify (corrupt), or one not signed with snapshot.signing.key (unsigned)";
        FunctionCounter.builder("streamlearn.retrain.models.skipped", incompleteSkipped, AtomicLong::get)
                .tag("reason", "incomplete").description(skipped).register(registry);
        FunctionCounter.builder("streamlearn.retrain.models.skipped", corruptSkipped, AtomicLong::get)
                .tag("reason", "corrupt").description(skipped).register(registry);
        FunctionCounter.builder("streamlearn.retrain.models.skipped", unsignedSkipped, AtomicLong::get)
                .tag("reason", "unsigned").description(skipped).register(registry);
    }

    private ModelSnapshot snapshot(String key) {
        Optional<Location> location = index.find(key);
        if (location.isEmpty()) {
            return null;
        }
        SnapshotFetcher.Fetched fetched = fetcher.fetch(key, location.get());
        if (fetched.miss()) {
            catchUp();
            Optional<Location> moved = index.find(key);
            if (moved.equals(location)) {
                rebuild();
                moved = index.find(key);
            }
            fetched = moved.isEmpty() ? SnapshotFetcher.Fetched.MISS : fetcher.fetch(key, moved.get());
            if (moved.isPresent() && fetched.miss()) {
                throw new IllegalStateException("the newest record of '" + key + "' on " + topic + " at "
                        + moved.get() + " could not be read");
            }
        }
        return fetched.value() == null ? null : verified(key, fetched.value());
    }

    /**
     * The snapshot of a fetched value, or {@code null} (the champion is then absent) when it is not signed with
     * {@value SnapshotSigning#KEY} while that is set (counted {@code unsigned}) or does not decode ({@code corrupt}):
     * anyone who can write to {@code models} chooses its bytes, and a run must not train against, or fail on, a
     * version no trainer or retrainer wrote.
     */
    private ModelSnapshot verified(String key, byte[] value) {
        try {
            return ModelSnapshotCodec.decode(signing.verify(value));
        } catch (SecurityException e) {
            unsignedSkipped.incrementAndGet();
            LOG.warn("The snapshot of '{}' on {} is not used: {}", key, topic, e.getMessage());
        } catch (Throwable e) {
            PartFailure.rethrowIfFatal(e);
            corruptSkipped.incrementAndGet();
            LOG.warn("The snapshot of '{}' on {} is not used: {}", key, topic, PartFailure.describe(e));
        }
        return null;
    }

    /**
     * Reads the topic from where the last call stopped through the high watermarks taken now. Under
     * {@code read_committed} the consumer passes an offset only once every transaction before it is decided, so this
     * also waits for transactions open at the call (a producer's commit returns before its markers are written, and
     * the last stable offset lags until they are): what a producer committed before the call is then read.
     */
    private void catchUp() {
        if (closed) {
            throw new IllegalStateException("the models view is closed");
        }
        List<TopicPartition> partitions = partitions();
        if (!follower.assignment().equals(new HashSet<>(partitions))) {
            Set<TopicPartition> added = new HashSet<>(partitions);
            added.removeAll(follower.assignment());
            follower.assign(partitions);
            follower.seekToBeginning(added);
        }
        Map<TopicPartition, Long> end = highWatermarks(partitions);
        if (partitions.stream().anyMatch(p -> follower.position(p) > end.get(p))) {
            // The log ends before where the index stopped: the topic was recreated.
            rebuild();
            return;
        }
        readTo(partitions, end);
    }

    /** Forgets the index and reads the whole topic again. */
    private void rebuild() {
        index.clear();
        List<TopicPartition> partitions = partitions();
        follower.assign(partitions);
        follower.seekToBeginning(partitions);
        readTo(partitions, highWatermarks(partitions));
    }

    private void readTo(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(p -> follower.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the models topic was not read to its end within " + READ_TIMEOUT
                        + " (a transaction left open?)");
            }
            for (ConsumerRecord<String, Shape> record : follower.poll(POLL)) {
                recordsRead.incrementAndGet();
                if (record.key() != null) {
                    // The consumer passes a tombstone on as null without asking the deserializer.
                    Shape shape = record.value() == null ? Shape.TOMBSTONE : record.value();
                    ModelsIndex.Applied applied = index.apply(record.key(), shape, new Location(record.partition(),
                            record.offset(), record.offset(), record.timestamp()));
                    if (applied == ModelsIndex.Applied.INCOMPLETE) {
                        incompleteSkipped.incrementAndGet();
                    } else if (applied == ModelsIndex.Applied.MALFORMED) {
                        corruptSkipped.incrementAndGet();
                    }
                }
            }
        }
    }

    /** The end of each partition's log, transactions still open included. */
    private Map<TopicPartition, Long> highWatermarks(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        await(admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all(), "end offsets")
                .forEach((partition, info) -> end.put(partition, info.offset()));
        return end;
    }

    /** The topic's partitions now, from the brokers (a consumer's cached metadata would miss new ones). */
    private List<TopicPartition> partitions() {
        try {
            TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames(), "partitions")
                    .get(topic);
            return description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        } catch (UnknownTopicOrPartitionException e) {
            return List.of();
        }
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException unknown) {
                throw unknown;
            }
            throw new IllegalStateException("the " + what + " of " + topic + " could not be read", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the " + what + " of " + topic, e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        fetcher.close();
        follower.close();
        admin.close();
    }
}
