package io.streamlearn.trainer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of the stream trainer, read from a key lookup with defaults (in the style of Micrometer's registry
 * configs). Keys under {@code kafka.} pass through unchanged to Kafka Streams, e.g. {@code kafka.num.stream.threads}.
 * The values come from {@link io.streamlearn.core.config.Settings}: a file, then {@code STREAMLEARN_*} environment
 * variables, then command-line values.
 */
public final class TrainerConfig {

    public static final String KAFKA_PREFIX = "kafka.";

    private final Map<String, String> values;

    private TrainerConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static TrainerConfig of(Map<String, String> values) {
        return new TrainerConfig(values);
    }

    public String bootstrapServers() {
        return get("bootstrap.servers", "localhost:9092");
    }

    public String applicationId() {
        return get("application.id", "streamlearn-trainer");
    }

    public String eventsTopic() {
        return get("topic.events", "events");
    }

    public String labelsTopic() {
        return get("topic.labels", "labels");
    }

    public String predictionsTopic() {
        return get("topic.predictions", "predictions");
    }

    public String deadLetterTopic() {
        return get("topic.dlq", "events.dlq");
    }

    public String modelsTopic() {
        return get("topic.models", "models");
    }

    /** {@code exactly_once_v2} (default) or {@code at_least_once}. */
    public String processingGuarantee() {
        return get("processing.guarantee", "exactly_once_v2");
    }

    public Duration snapshotInterval() {
        return Duration.ofMillis(getLong("snapshot.interval.ms", 10_000));
    }

    /** Journal entries after which the model is checkpointed whole; bounds recovery replay. */
    public int checkpointInterval() {
        return (int) getLong("checkpoint.interval.records", 10_000);
    }

    /** How long an unlabelled event waits for its label before it counts as never labelled. */
    public Duration labelTimeToLive() {
        return Duration.ofMillis(getLong("label.ttl.ms", Duration.ofHours(24).toMillis()));
    }

    public int evaluationWindow() {
        return (int) getLong("evaluation.window", 1000);
    }

    public int maxRecordBytes() {
        return (int) getLong("max.record.bytes", 1 << 20);
    }

    /** Properties for Kafka Streams given under {@code kafka.}, prefix removed. */
    public Map<String, String> kafkaProperties() {
        Map<String, String> kafka = new HashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(KAFKA_PREFIX)) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), value);
            }
        });
        return kafka;
    }

    /** Fails fast, naming the key, when a value is out of range. */
    public TrainerConfig validate() {
        require(!bootstrapServers().isBlank(), "bootstrap.servers must not be empty");
        require(processingGuarantee().equals("exactly_once_v2") || processingGuarantee().equals("at_least_once"),
                "processing.guarantee must be exactly_once_v2 or at_least_once, not " + processingGuarantee());
        require(snapshotInterval().toMillis() >= 100, "snapshot.interval.ms must be at least 100");
        require(checkpointInterval() >= 1, "checkpoint.interval.records must be positive");
        require(labelTimeToLive().toMillis() >= 1, "label.ttl.ms must be positive");
        require(evaluationWindow() >= 1, "evaluation.window must be positive");
        require(maxRecordBytes() >= 1024, "max.record.bytes must be at least 1024");
        return this;
    }

    private String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    private long getLong(String key, long fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + value + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid trainer configuration: " + message);
        }
    }
}
