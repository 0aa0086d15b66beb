package io.streamlearn.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts the committed predictions on its own thread and notes, per model, how long after the kill its first
 * committed prediction arrived.
 */
final class PredictionWatch implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicLong count = new AtomicLong();
    private final Map<String, Long> resumed = new ConcurrentHashMap<>();
    private final Thread thread;
    private final List<TopicPartition> partitions;
    private volatile Map<TopicPartition, Long> fence;
    private volatile long killedAt;
    private volatile boolean running = true;

    PredictionWatch(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "prediction-watch-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    long count() {
        return count.get();
    }

    /**
     * Marks the kill: what is committed once the killed JVM is gone ends where the partitions' committed ends are
     * now, so only records past these count as resumed.
     */
    void killed(long nanos) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> ends = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            fence = Map.copyOf(ends.endOffsets(partitions));
        }
        killedAt = nanos;
    }

    /** Milliseconds from the kill to each model's first committed prediction after it. */
    Map<String, Long> resumed() {
        return resumed;
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(20));
                long now = System.nanoTime();
                long kill = killedAt;
                if (kill > 0) {
                    for (ConsumerRecord<String, byte[]> record : records) {
                        if (record.offset() >= fence.get(new TopicPartition(record.topic(), record.partition()))) {
                            resumed.putIfAbsent(record.key(), (now - kill) / 1_000_000);
                        }
                    }
                }
                count.addAndGet(records.count());
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
