package io.streamlearn.retrain.kafka;

import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.run.OffsetTracker;
import io.streamlearn.retrain.run.RetrainRequest;
import io.streamlearn.retrain.run.RunQueue;
import io.streamlearn.runtime.health.PartFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code retrain-requests} in one consumer group, so each model's requests (the key) are read by exactly one
 * instance, and hands them to the {@link RunQueue}. A request's offset is committed only after the run answering it
 * is recorded, and only once every earlier request of its partition is answered too ({@link OffsetTracker}): a crash
 * mid-run leaves the request uncommitted, and the instance that next owns the partition runs it again (at least once).
 */
public final class RequestConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final RunQueue queue;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final PartFailure failure;
    private volatile int partitionCount;
    private volatile boolean closing;
    private final Predicate<String> deleted;

    /**
     * @param failure where the consumer's thread records what stopped it
     * @param deleted whether a model was deleted from the definitions topic: its requests are skipped
     */
    public RequestConsumer(RetrainConfig config, RunQueue queue, PartFailure failure, Predicate<String> deleted) {
        this.deleted = deleted;
        this.topic = config.requestsTopic();
        this.queue = queue;
        this.failure = failure;
        Map<String, Object> properties = KafkaClients.consumer(config, "streamlearn-retrainer-requests");
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        // A fresh group answers the requests already waiting; coalescing bounds them to two runs per model.
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(properties);
        this.thread = new Thread(this::consume, "streamlearn-retrainer-requests");
        this.thread.setDaemon(true);
    }

    public void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    public boolean isRunning() {
        return thread.isAlive() && failure.reason().isEmpty();
    }

    /** Whether this instance owns the requests of {@code model} now (its partition is assigned here). */
    public boolean owns(String model) {
        int partitions = partitionCount;
        if (partitions == 0) {
            return false;
        }
        // The default partitioner's choice for a keyed record (murmur2 of the key bytes).
        int partition = Utils.toPositive(Utils.murmur2(model.getBytes(StandardCharsets.UTF_8))) % partitions;
        return owned.contains(partition);
    }

    private void consume() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    handle(record);
                }
                commit();
            }
        } catch (WakeupException e) {
            LOG.debug("Request consumer closing");
        } catch (Throwable e) {
            failure.record("the retrain request consumer stopped, so no more requests are answered here", e);
        } finally {
            try {
                commit();
            } catch (RuntimeException e) {
                LOG.warn("Final commit of answered requests failed; they will be answered again", e);
            }
            consumer.close();
            stopped.countDown();
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        int partition = record.partition();
        long offset = record.offset();
        offsets.received(partition, offset);
        RetrainRequest request;
        try {
            request = RequestJson.decode(record.key(), record.value(), record.timestamp());
        } catch (IllegalArgumentException e) {
            LOG.warn("Skipping unreadable retrain request at {}-{}@{}: {}", topic, partition, offset, e.getMessage());
            offsets.answered(partition, offset);
            return;
        }
        if (deleted.test(request.model())) {
            LOG.info("Skipping the retrain request for model '{}' at {}-{}@{}: the model was deleted", request.model(),
                    topic, partition, offset);
            offsets.answered(partition, offset);
            return;
        }
        LOG.info("Retrain request for model '{}' ({}) at {}-{}@{}", request.model(), request.reason(), topic,
                partition, offset);
        queue.submit(request, () -> offsets.answered(partition, offset));
    }

    private void commit() {
        Map<Integer, Long> drained = offsets.drainCommittable();
        if (drained.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        drained.forEach((partition, offset) -> {
            if (owned.contains(partition)) {
                commits.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset));
            }
        });
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> owned.add(partition.partition()));
            partitionCount = consumer.partitionsFor(topic).size();
            LOG.info("Answering retrain requests of partitions {}", owned);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
            partitions.forEach(partition -> {
                owned.remove(partition.partition());
                offsets.forget(partition.partition());
            });
        }
    }

    @Override
    public void close() {
        closing = true;
        if (started.compareAndSet(false, true)) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
