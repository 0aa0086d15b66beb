package io.streamlearn.trainer;

import io.streamlearn.core.config.ConfigValues;
import io.streamlearn.core.eval.AlertRule;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.topic.Topic;
import io.streamlearn.runtime.kafka.FollowerSettings;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Settings of the stream trainer, read from a key lookup with defaults (in the style of Micrometer's registry
 * configs). Keys under {@code kafka.} pass through unchanged to Kafka Streams, e.g. {@code kafka.num.stream.threads}.
 * The values come from {@link io.streamlearn.core.config.Settings}: a file, then {@code STREAMLEARN_*} environment
 * variables, then command-line values.
 */
public final class TrainerConfig {

    public static final String KAFKA_PREFIX = "kafka.";

    private final ConfigValues values;

    private TrainerConfig(Map<String, String> values) {
        this.values = new ConfigValues(values);
    }

    public static TrainerConfig of(Map<String, String> values) {
        return new TrainerConfig(values);
    }

    public String bootstrapServers() {
        return values.get("bootstrap.servers", "localhost:9092");
    }

    public String applicationId() {
        return values.get("application.id", "streamlearn-trainer");
    }

    public String eventsTopic() {
        return Topic.EVENTS.name(values);
    }

    public String labelsTopic() {
        return Topic.LABELS.name(values);
    }

    /**
     * The trainer's own topic of steps fanned out to the shards of sharded models: {@code <application.id>-shard-steps}
     * unless set, so that two trainer applications on one cluster never read each other's, as with their changelogs.
     */
    public String shardStepsTopic() {
        return Topic.SHARD_STEPS.name(values, applicationId());
    }

    /**
     * Whether this trainer trains sharded models: only then does it read the shard topics. Off (the default), a
     * sharded definition is refused and each training task reads {@code events} and {@code labels} only: under any
     * {@code max.task.idle.ms} but -1, Kafka Streams 4.4 formats a log line for every record while an input partition
     * of the task has nothing buffered, which an unused sums partition never has (docs/benchmarks.md).
     */
    public boolean shardingEnabled() {
        return values.getBoolean("shard.enabled", false);
    }

    /** The trainer's own topic of shards' votes, keyed and partitioned by event, read by the vote stage. */
    public String shardVotesTopic() {
        return Topic.SHARD_VOTES.name(values, applicationId());
    }

    /**
     * Partitions of the shard-votes topic when the trainer creates it: how many tasks the vote stage is spread over.
     * Unset, as many as {@code events} has.
     */
    public OptionalInt shardVotesPartitions() {
        String partitions = values.get("shard.votes.partitions", null);
        return partitions == null ? OptionalInt.empty() : OptionalInt.of(values.getInt("shard.votes.partitions", 0));
    }

    /** The trainer's own topic of each event's summed votes, partitioned as {@code events}: to the model's task. */
    public String shardSumsTopic() {
        return Topic.SHARD_SUMS.name(values, applicationId());
    }

    public String predictionsTopic() {
        return Topic.PREDICTIONS.name(values);
    }

    public String deadLetterTopic() {
        return Topic.DEAD_LETTERS.name(values);
    }

    public String modelsTopic() {
        return Topic.MODELS.name(values);
    }

    /** How a follower of a compacted topic (the model definitions) reaches the cluster. */
    public FollowerSettings followerSettings() {
        return new FollowerSettings(bootstrapServers(), kafkaProperties());
    }

    /** The compacted topic of model definitions every trainer instance follows. */
    public String definitionsTopic() {
        return Topic.DEFINITIONS.name(values);
    }

    /** Where an anomaly detector's alerts go: one record per event whose score passes the model's alert rule. */
    public String anomaliesTopic() {
        return Topic.ANOMALIES.name(values);
    }

    /**
     * When a score of {@code model} alerts: {@code anomaly.<model>.threshold} (or {@code anomaly.threshold}), a fixed
     * score; otherwise the top {@code anomaly.<model>.rate} (or {@code anomaly.rate}, default 0.01) of recent scores.
     */
    public AlertRule alertRule(String model) {
        String threshold = values.get("anomaly." + model + ".threshold", values.get("anomaly.threshold", null));
        String rate = values.get("anomaly." + model + ".rate",
                values.get("anomaly.rate", Double.toString(AlertRule.DEFAULT_RATE)));
        try {
            return new AlertRule(threshold == null ? null : Double.valueOf(threshold), Double.parseDouble(rate));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid trainer configuration: anomaly threshold or rate of model '"
                    + model + "' is not a number", e);
        }
    }

    /** {@code exactly_once_v2} (default) or {@code at_least_once}. */
    public String processingGuarantee() {
        return values.get("processing.guarantee", "exactly_once_v2");
    }

    public Duration snapshotInterval() {
        return Duration.ofMillis(values.getLong("snapshot.interval.ms", 10_000));
    }

    /** Journal entries after which the model is checkpointed whole when that is cheap (see checkpointCostFraction). */
    public int checkpointInterval() {
        return (int) values.getLong("checkpoint.interval.records", 10_000);
    }

    /** The most journal entries kept between checkpoints however costly a checkpoint is; bounds recovery replay. */
    public int checkpointMaxRecords() {
        return (int) values.getLong("checkpoint.max.records", 500_000);
    }

    /** The largest share of the stream thread's time that checkpointing a model may take (CostAwareCadence). */
    public double checkpointCostFraction() {
        return values.getDouble("checkpoint.cost.fraction", 0.1);
    }

    /** The largest share of the stream thread's time that publishing a model's snapshots may take. */
    public double snapshotCostFraction() {
        return values.getDouble("snapshot.cost.fraction", 0.2);
    }

    /** How long an unlabelled event waits for its label before it counts as never labelled. */
    public Duration labelTimeToLive() {
        return Duration.ofMillis(values.getLong("label.ttl.ms", Duration.ofHours(24).toMillis()));
    }

    /**
     * How long a label whose event has not been seen yet is held for it, measured in record time (the label's
     * timestamp against the task's stream time). Labels come from other producers and race their events: Kafka
     * orders records within a partition only, never across the {@code events} and {@code labels} topics.
     */
    public Duration labelHoldTime() {
        return Duration.ofMillis(values.getLong("label.hold.ms", Duration.ofMinutes(5).toMillis()));
    }

    /** At most this many early labels are held per task; a label beyond it is dead-lettered at once. 0 holds none. */
    public long labelHoldMax() {
        return values.getLong("label.hold.max", 100_000);
    }

    /**
     * At most this many bytes of early labels (ids and label records) are held per task: a label that would exceed it
     * evicts the oldest held ones, which are dead-lettered and counted as {@code evicted}. Ids and labels are chosen
     * by whoever produces to {@code labels}, so the count alone ({@link #labelHoldMax()} labels of up to
     * {@code max.record.bytes} each) bounds nothing useful. The hold also keeps each held key in memory.
     */
    public long labelHoldMaxBytes() {
        return values.getLong("label.hold.max.bytes", 64L << 20);
    }

    public int evaluationWindow() {
        return (int) values.getLong("evaluation.window", 1000);
    }

    /** α of the fading-factor figures: each older label weighs α times less (Gama et al. 2013). */
    public double fadingFactor() {
        return Double.parseDouble(values.get("evaluation.fading.factor",
                Double.toString(io.streamlearn.core.eval.PrequentialEvaluator.DEFAULT_FADING_FACTOR)));
    }

    /**
     * Larger events and labels are dead-lettered as {@code oversized}. The default stays under Kafka's 1 MiB record
     * limit by enough for the dead-letter copy's headers, so the copy always fits the dead-letter topic.
     */
    public int maxRecordBytes() {
        return (int) values.getLong("max.record.bytes", EventCodec.DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * Signs every published snapshot with {@code snapshot.signing.key} (HMAC-SHA256) when it is set, so servers
     * configured with the same key refuse versions nobody holding it wrote.
     */
    public SnapshotSigning snapshotSigning() {
        return SnapshotSigning.of(values.get(SnapshotSigning.KEY, null));
    }

    /**
     * How models and checkpoints travel in Kafka records of bounded size: chunks of at most
     * {@code snapshot.chunk.bytes} (compressed), assembled by readers up to {@code snapshot.max.bytes}.
     */
    public BlobChunking chunking() {
        return BlobChunking.of(values);
    }

    /** Properties for Kafka Streams given under {@code kafka.}, prefix removed. */
    public Map<String, String> kafkaProperties() {
        return values.withPrefix(KAFKA_PREFIX);
    }

    /** Fails fast, naming the key, when a value is out of range or a key is unknown to every service. */
    public TrainerConfig validate() {
        values.unknownKeys().forEach(unknown -> require(false, unknown));
        require(!bootstrapServers().isBlank(), "bootstrap.servers must not be empty");
        require(processingGuarantee().equals("exactly_once_v2") || processingGuarantee().equals("at_least_once"),
                "processing.guarantee must be exactly_once_v2 or at_least_once, not " + processingGuarantee());
        require(snapshotInterval().toMillis() >= 100, "snapshot.interval.ms must be at least 100");
        require(checkpointInterval() >= 1, "checkpoint.interval.records must be positive");
        require(checkpointMaxRecords() >= checkpointInterval(),
                "checkpoint.max.records must be at least checkpoint.interval.records");
        require(checkpointCostFraction() > 0 && checkpointCostFraction() <= 1,
                "checkpoint.cost.fraction must be in (0, 1]");
        require(snapshotCostFraction() > 0 && snapshotCostFraction() <= 1, "snapshot.cost.fraction must be in (0, 1]");
        require(labelTimeToLive().toMillis() >= 1, "label.ttl.ms must be positive");
        require(labelHoldTime().toMillis() >= 1, "label.hold.ms must be positive");
        require(labelHoldMax() >= 0, "label.hold.max must not be negative");
        require(labelHoldMaxBytes() >= 0, "label.hold.max.bytes must not be negative");
        require(evaluationWindow() >= 1, "evaluation.window must be positive");
        require(shardVotesPartitions().orElse(1) >= 1, "shard.votes.partitions must be positive");
        shardingEnabled(); // refuses anything but true or false
        try {
            require(fadingFactor() > 0 && fadingFactor() <= 1, "evaluation.fading.factor must be in (0, 1]");
        } catch (NumberFormatException e) {
            require(false, "evaluation.fading.factor is not a number");
        }
        require(maxRecordBytes() >= 1024, "max.record.bytes must be at least 1024");
        long maxRequest = BlobChunking.producerMaxRequestSize(values);
        require(maxRecordBytes() + DEAD_LETTER_HEADER_BYTES <= maxRequest, "max.record.bytes (" + maxRecordBytes()
                + ") plus " + DEAD_LETTER_HEADER_BYTES + " bytes for a dead letter's headers must fit the producer's "
                + "max.request.size (" + maxRequest + ")");
        try {
            chunking();
        } catch (IllegalArgumentException e) {
            require(false, e.getMessage());
        }
        try {
            alertRule("");
        } catch (IllegalArgumentException e) {
            require(false, "anomaly.threshold / anomaly.rate: " + e.getMessage());
        }
        try {
            snapshotSigning();
        } catch (IllegalArgumentException e) {
            require(false, SnapshotSigning.KEY + ": " + e.getMessage());
        }
        return this;
    }

    /** Room for the headers a dead letter adds to the original record (reason, field, detail, source). */
    public static final int DEAD_LETTER_HEADER_BYTES = 16 * 1024;

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid trainer configuration: " + message);
        }
    }
}
