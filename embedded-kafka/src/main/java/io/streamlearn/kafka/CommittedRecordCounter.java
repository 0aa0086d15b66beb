package io.streamlearn.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Counts the records of one topic a {@code read_committed} consumer sees, on its own thread. */
public final class CommittedRecordCounter implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicLong count = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public CommittedRecordCounter(String bootstrapServers, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "committed-counter-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    public long count() {
        return count.get();
    }

    private void run() {
        try {
            while (running) {
                count.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
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
