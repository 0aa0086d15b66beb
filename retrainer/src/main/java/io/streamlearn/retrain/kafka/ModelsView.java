package io.streamlearn.retrain.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.kafka.ModelsIndex.Location;
import io.streamlearn.retrain.run.Champions;
import io.streamlearn.retrain.run.RunPorts.ChampionSource;
import java.nio.ByteBuffer;
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
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The compacted {@code models} topic as the retrainer needs it: the champions of a run (the newest record of
 * {@code <model>} and of {@code <model>@batch}) and the models the schedule knows.
 *
 * <p>One long-lived {@code read_committed} consumer, assigned to every partition, keeps a {@link ModelsIndex} of where
 * each key's newest record lies. Each call first catches up from where the last one stopped to the end offsets (high
 * watermarks) taken at the call, waiting for the transactions open then to be decided, so a run sees every snapshot
 * committed before it started, including the version the previous run promoted, while reading only the records written
 * since the last call. The index reads no value bytes into memory (only whether a record is a tombstone); a run's two
 * snapshots are then fetched by offset with a second consumer. When compaction has removed a recorded offset (a newer
 * record of the key was committed after the catch-up), the view catches up again and looks again; if the key's place
 * did not move (the topic was recreated or truncated), it rebuilds the index from the beginning of the topic.
 *
 * <p>Calls are serialised (runs and the schedule may call at once; a Kafka consumer is single-threaded).
 */
public final class ModelsView implements ChampionSource, MeterBinder, AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final String topic;
    private final Admin admin;
    private final KafkaConsumer<String, Boolean> follower;
    private final KafkaConsumer<String, byte[]> fetcher;
    private final ModelsIndex index = new ModelsIndex();
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong snapshotsFetched = new AtomicLong();
    private boolean closed;

    public ModelsView(RetrainConfig config) {
        this.topic = config.modelsTopic();
        Map<String, Object> adminProperties = new HashMap<>(config.kafkaProperties());
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        this.admin = Admin.create(adminProperties);
        Map<String, Object> following = KafkaClients.consumer(config, "streamlearn-retrainer-models");
        following.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.follower = new KafkaConsumer<>(following, new StringDeserializer(), new PresenceDeserializer());
        Map<String, Object> fetching = KafkaClients.consumer(config, "streamlearn-retrainer-models-fetch");
        // A recorded offset below the log start is a miss, not a jump elsewhere; and one batch per fetch, the one
        // holding the wanted record (the broker always returns the first batch, however large).
        fetching.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        fetching.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1);
        fetching.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1);
        // The wanted record is always there: a fetch left waiting at the log's end (fetch.max.wait.ms, 500 ms by
        // default) would delay the next fetch from that broker by as much.
        fetching.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 0);
        this.fetcher = new KafkaConsumer<>(fetching);
    }

    @Override
    public synchronized Champions champions(String model) {
        catchUp();
        return new Champions(snapshot(model), snapshot(Champions.batchKey(model)));
    }

    /** The models with an online or batch version. */
    public synchronized Set<String> models() {
        catchUp();
        Set<String> models = new TreeSet<>();
        index.keys().forEach(key -> models.add(key.endsWith("@batch")
                ? key.substring(0, key.length() - "@batch".length()) : key));
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

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("streamlearn.retrain.models.records", recordsRead, AtomicLong::get)
                .description("Records of the models topic read to index the champions").register(registry);
        FunctionCounter.builder("streamlearn.retrain.models.snapshots", snapshotsFetched, AtomicLong::get)
                .description("Champion snapshots fetched from the models topic by offset").register(registry);
    }

    private ModelSnapshot snapshot(String key) {
        Optional<Location> location = index.find(key);
        if (location.isEmpty()) {
            return null;
        }
        Optional<byte[]> bytes = fetch(key, location.get());
        if (bytes.isEmpty()) {
            catchUp();
            Optional<Location> moved = index.find(key);
            if (moved.equals(location)) {
                rebuild();
                moved = index.find(key);
            }
            bytes = moved.isEmpty() ? Optional.empty() : fetch(key, moved.get());
            if (moved.isPresent() && bytes.isEmpty()) {
                throw new IllegalStateException("the newest record of '" + key + "' on " + topic + " at "
                        + moved.get() + " could not be read");
            }
        }
        return bytes.map(ModelSnapshotCodec::decode).orElse(null);
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
            for (ConsumerRecord<String, Boolean> record : follower.poll(POLL)) {
                recordsRead.incrementAndGet();
                if (record.key() != null) {
                    index.apply(record.key(), record.value() == null,
                            new Location(record.partition(), record.offset(), record.timestamp()));
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

    /** The value of the key's committed record at a location, or empty when it is no longer there. */
    private Optional<byte[]> fetch(String key, Location location) {
        TopicPartition partition = new TopicPartition(topic, location.partition());
        fetcher.assign(List.of(partition));
        fetcher.seek(partition, location.offset());
        long end = fetcher.endOffsets(List.of(partition)).get(partition);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        try {
            while (fetcher.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the snapshot at " + location + " was not read within "
                            + READ_TIMEOUT);
                }
                List<ConsumerRecord<String, byte[]>> records = fetcher.poll(POLL).records(partition);
                if (!records.isEmpty()) {
                    // The first committed record at or after the offset: another one means the offset was compacted.
                    ConsumerRecord<String, byte[]> first = records.get(0);
                    if (first.offset() != location.offset() || !key.equals(first.key()) || first.value() == null) {
                        return Optional.empty();
                    }
                    snapshotsFetched.incrementAndGet();
                    return Optional.of(first.value());
                }
            }
        } catch (OffsetOutOfRangeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        closed = true;
        fetcher.close();
        follower.close();
        admin.close();
    }

    /** Whether a record has a value, without copying the value: the index needs no snapshot bytes. */
    static final class PresenceDeserializer implements Deserializer<Boolean> {

        @Override
        public Boolean deserialize(String topic, byte[] data) {
            return data == null ? null : Boolean.TRUE;
        }

        @Override
        public Boolean deserialize(String topic, Headers headers, ByteBuffer data) {
            return data == null ? null : Boolean.TRUE;
        }
    }
}
