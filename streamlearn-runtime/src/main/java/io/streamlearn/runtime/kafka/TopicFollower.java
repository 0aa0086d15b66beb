package io.streamlearn.runtime.kafka;

import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.PartFailure;
import io.streamlearn.runtime.health.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a compacted topic ({@code models}, {@code model-pins}) on a thread of its own and hands every record to a
 * {@link RecordHandler} there, never on an event loop (serving's snapshot loader decodes snapshots on it). It reads
 * every partition from the beginning without a consumer group: each server must see every model, and compaction keeps
 * the newest record of each. Only committed records are read ({@code read_committed}), so a snapshot the trainer
 * published in an aborted transaction is never served.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(1);
    /** Several default fetch waits, so that a reconnect after a leader move is not reported. */
    static final Duration DEGRADED_AFTER = Duration.ofSeconds(3);

    /** What a follower does with each record, on its thread. */
    @FunctionalInterface
    public interface RecordHandler {
        void handle(ConsumerRecord<String, byte[]> record);
    }

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final RecordHandler handler;
    private final Map<TopicPartition, Long> nextOffsets = new ConcurrentHashMap<>();
    private final List<Runnable> progressListeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** The committed end of each partition when following began: the follower has caught up once past all of them. */
    private Map<TopicPartition, Long> startEnds = Map.of();
    private final AtomicBoolean started = new AtomicBoolean();
    private final PartFailure failure;
    private final AtomicLong skipped = new AtomicLong();
    /** When the consumer last completed a fetch; -1 before it follows the topic. */
    private volatile long lastFetchAt = -1;
    private double fetchesCompleted;
    private boolean warnedUnreachable;

    /**
     * Creates the consumer now, so a bad Kafka configuration fails the caller; reading starts with {@link #start()}.
     *
     * @param name the consumer's default client id and the thread's name; without its {@code streamlearn-} prefix, the
     *             part's name in {@link #liveness()}, e.g. {@code model-follower}
     */
    public TopicFollower(FollowerSettings settings, String topic, String name, RecordHandler handler) {
        this.topic = topic;
        this.handler = handler;
        this.failure = new PartFailure(name.replaceFirst("^streamlearn-", ""),
                "it reads topic '" + topic + "' again from the beginning");
        this.consumer = new KafkaConsumer<>(consumerProperties(settings, name));
        this.thread = new Thread(this::follow, name);
        this.thread.setDaemon(true);
    }

    /**
     * The configured {@code kafka.*} properties with the ones this follower relies on.
     *
     * @param name the default client id, and the thread's name
     */
    static Map<String, Object> consumerProperties(FollowerSettings settings, String name) {
        return CommittedReader.consumerProperties(settings.kafkaProperties(), settings.bootstrapServers(), name);
    }

    public void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /** Running once started, until closed or stopped by a failure Kafka cannot recover from. */
    public boolean isRunning() {
        return thread.isAlive() && failure.reason().isEmpty();
    }

    /** Not live once the follower's thread has stopped on a failure, whatever it was (an {@code Error} too). */
    public Liveness liveness() {
        return Liveness.of(failure);
    }

    /**
     * The offset after the last record handled in a partition (0 before any); grows as the follower reads. A writer
     * to the topic waits for it to pass its own record's offset to see its write applied.
     */
    public long nextOffset(TopicPartition partition) {
        return nextOffsets.getOrDefault(partition, 0L);
    }

    /**
     * Waits until the follower has handled every record committed when it began to follow (the topic's state at
     * start), e.g. so that a trainer knows every model defined before it started.
     *
     * @return false when {@code timeout} passed first
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void noteCaughtUp() {
        if (caughtUp.getCount() > 0 && startEnds.entrySet().stream()
                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
            caughtUp.countDown();
        }
    }

    /** Called on the follower's thread after each batch of records is handled. */
    public void addProgressListener(Runnable listener) {
        progressListeners.add(listener);
    }

    /**
     * Not ready before the follower runs or after it stopped; after a failure, the reason names it. Degraded while no
     * fetch has completed for {@link #DEGRADED_AFTER}: what is loaded keeps serving, new records wait for Kafka.
     */
    public Readiness readiness() {
        return Readiness.of(() -> {
            if (failure.reason().isPresent()) {
                return failure.reason();
            }
            return isRunning() ? Optional.empty() : Optional.of("the follower of topic '" + topic + "' is not running");
        }, () -> {
            long since = lastFetchAt;
            if (since < 0 || System.currentTimeMillis() - since < DEGRADED_AFTER.toMillis()) {
                return List.of();
            }
            return List.of("no answer from Kafka for topic '" + topic + "' since " + Instant.ofEpochMilli(since)
                    + "; serving the versions held, changes wait for the brokers");
        });
    }

    /** Stops following and closes the consumer; waits for a snapshot being decoded. */
    @Override
    public void close() {
        closing.countDown();
        if (started.compareAndSet(false, true)) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow() {
        try {
            Optional<List<TopicPartition>> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions.get());
            consumer.seekToBeginning(partitions.get());
            startEnds = consumer.endOffsets(partitions.get());
            LOG.info("Following {} partition(s) of topic '{}' from the beginning", partitions.get().size(), topic);
            lastFetchAt = System.currentTimeMillis();
            while (closing.getCount() > 0) {
                noteCaughtUp();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    handle(record);
                    nextOffsets.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                trackFetches();
                progressListeners.forEach(Runnable::run);
            }
        } catch (WakeupException e) {
            LOG.debug("Follower of topic '{}' closing", topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            // What a record cannot cause (a broken JVM, a Kafka failure the consumer cannot recover from): a thread
            // that ended silently would leave the process serving ever older models while it reports itself live.
            failure.record("the follower of topic '" + topic + "' stopped, so what it feeds no longer changes", e);
        } finally {
            consumer.close();
        }
    }

    /**
     * Hands one record to the handler. Whatever the handler throws for it, an {@code Error} such as an
     * {@link OutOfMemoryError} decoding a hostile snapshot included, is that record's: it is logged, counted in
     * {@link #skippedCount()}, and the follower goes on with the next record, since a restarted follower would read the
     * same record again and fail again. Only a failure {@link PartFailure#isFatal fatal} to the JVM ends the thread.
     */
    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            handler.handle(record);
        } catch (Throwable e) {
            PartFailure.rethrowIfFatal(e);
            skipped.incrementAndGet();
            LOG.warn("Skipped the record of topic '{}' at partition {} offset {}: its handler failed: {}", topic,
                    record.partition(), record.offset(), PartFailure.describe(e));
        }
    }

    /** Records whose handler failed, skipped since the follower started. */
    public long skippedCount() {
        return skipped.get();
    }

    /**
     * Notes when the consumer last completed a fetch, from its own {@code fetch-total} metric, on the follower's
     * thread (the consumer is not thread-safe, its metrics included). A follower's fetches complete at least every
     * {@code fetch.max.wait.ms} (500 ms by default) while a broker answers, even with no new record; its
     * {@code connection-count} is no signal, since it counts connections still being attempted.
     */
    private void trackFetches() {
        double fetches = fetchesCompleted;
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            if (metric.getKey().name().equals("fetch-total")
                    && metric.getKey().group().equals("consumer-fetch-manager-metrics")
                    && metric.getKey().tags().size() == 1
                    && metric.getValue().metricValue() instanceof Number count) {
                fetches = count.doubleValue();
            }
        }
        long now = System.currentTimeMillis();
        if (fetches > fetchesCompleted) {
            if (now - lastFetchAt >= DEGRADED_AFTER.toMillis()) {
                LOG.info("Follower of topic '{}' reaches Kafka again", topic);
            }
            fetchesCompleted = fetches;
            lastFetchAt = now;
        } else if (now - lastFetchAt >= DEGRADED_AFTER.toMillis() && !warnedUnreachable) {
            LOG.warn("Follower of topic '{}' has not reached Kafka since {}; serving what it holds", topic,
                    Instant.ofEpochMilli(lastFetchAt));
        }
        warnedUnreachable = now - lastFetchAt >= DEGRADED_AFTER.toMillis();
    }

    /**
     * Waits for the topic and the cluster: a server may start before the trainer has created the topic, or while the
     * brokers are unreachable. Empty when closed meanwhile.
     */
    private Optional<List<TopicPartition>> awaitPartitions() throws InterruptedException {
        boolean warned = false;
        do {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, TOPIC_RETRY).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .toList();
                if (!partitions.isEmpty()) {
                    return Optional.of(partitions);
                }
            } catch (TimeoutException e) {
                LOG.debug("No metadata for topic '{}' yet", topic, e);
            }
            if (!warned) {
                LOG.warn("Topic '{}' is not available yet; waiting for it", topic);
                warned = true;
            }
        } while (!closing.await(TOPIC_RETRY.toMillis(), TimeUnit.MILLISECONDS));
        return Optional.empty();
    }
}
