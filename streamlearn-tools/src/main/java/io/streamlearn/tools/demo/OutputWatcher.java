package io.streamlearn.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshotCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the trainer's committed output (predictions, dead letters, model snapshots) from the beginning, as an
 * external {@code read_committed} consumer would, and counts it. Aborted transactions are invisible to it, so its
 * counts are what exactly-once promises.
 */
public final class OutputWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputWatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, byte[]> consumer;
    private final String predictionsTopic;
    private final String deadLetterTopic;
    private final String modelsTopic;
    private final BiConsumer<JsonNode, Long> onPrediction;
    private final AtomicLong predictions = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Map<String, ModelMetadata> latestSnapshots = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param onPrediction called on the watcher's thread with each committed prediction and its topic offset
     */
    public OutputWatcher(String bootstrapServers, String predictionsTopic, String deadLetterTopic, String modelsTopic,
            BiConsumer<JsonNode, Long> onPrediction) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        this.predictionsTopic = predictionsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.modelsTopic = modelsTopic;
        this.onPrediction = onPrediction;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(predictionsTopic, deadLetterTopic, modelsTopic)) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "output-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    public long predictions() {
        return predictions.get();
    }

    public long deadLetters() {
        return deadLetters.get();
    }

    /** The newest snapshot metadata seen for a model, or {@code null}. */
    public ModelMetadata latestSnapshot(String model) {
        return latestSnapshots.get(model);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    accept(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } finally {
            consumer.close();
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(predictionsTopic)) {
            JsonNode prediction;
            try {
                prediction = JSON.readTree(record.value());
            } catch (IOException e) {
                LOG.warn("unreadable prediction at offset {}: {}", record.offset(), e.getMessage());
                return;
            }
            // Predictions the HTTP server logs share the topic; the trainer's prequential ones carry no source.
            if (!prediction.has("source")) {
                onPrediction.accept(prediction, record.offset());
                predictions.incrementAndGet();
            }
        } else if (record.topic().equals(deadLetterTopic)) {
            deadLetters.incrementAndGet();
        } else if (record.topic().equals(modelsTopic) && record.value() != null
                && !BlobChunking.isChunkKey(record.key())) {
            // A manifest carries the snapshot's metadata: the chunks are not needed to follow progress.
            try {
                ModelMetadata metadata = ModelSnapshotCodec.decodeMetadata(record.value());
                if (metadata.isBatch()) {
                    // A version the retrainer promoted: not the trainer's progress, which is what this watches.
                    return;
                }
                latestSnapshots.merge(metadata.model(), metadata,
                        (old, fresh) -> fresh.version() > old.version() ? fresh : old);
            } catch (IllegalArgumentException e) {
                LOG.warn("unreadable snapshot at offset {}: {}", record.offset(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
