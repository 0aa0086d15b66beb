package io.streamlearn.drift;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.config.ConfigValues;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.topic.Topic;
import io.streamlearn.runtime.kafka.FollowerSettings;
import io.streamlearn.drift.concept.ConceptDriftDetectors;
import io.streamlearn.drift.statistics.DriftThresholds;
import io.streamlearn.drift.window.MonitorSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the drift monitor, read from a key lookup with defaults (in the style of Micrometer's registry configs,
 * like the trainer's). Keys under {@code kafka.} pass through unchanged to Kafka Streams; keys under {@code drift.}
 * shape the windows and thresholds ({@link MonitorSettings}, defaults measured in docs/drift.md). The values come from
 * {@link io.streamlearn.core.config.Settings}: a file, then {@code STREAMLEARN_*} environment variables, then
 * command-line values.
 */
public final class DriftMonitorConfig {

    public static final String KAFKA_PREFIX = "kafka.";

    private final ConfigValues values;

    private DriftMonitorConfig(Map<String, String> values) {
        this.values = new ConfigValues(values);
    }

    public static DriftMonitorConfig of(Map<String, String> values) {
        return new DriftMonitorConfig(values);
    }

    public String bootstrapServers() {
        return values.get("bootstrap.servers", "localhost:9092");
    }

    /** The port of the monitor's HTTP routes (reports, health, metrics); 0 picks a free one. */
    public int httpPort() {
        return values.getInt("http.port", 8082);
    }

    /** Its own consumer group: the monitor reads {@code events} independently of the trainer. */
    public String applicationId() {
        return values.get("drift.application.id", "streamlearn-drift-monitor");
    }

    public String eventsTopic() {
        return Topic.EVENTS.name(values);
    }

    /** The trainer's predictions and the serving layer's logged ones ({@code "source": "serving"}). */
    public String predictionsTopic() {
        return Topic.PREDICTIONS.name(values);
    }

    public String labelsTopic() {
        return Topic.LABELS.name(values);
    }

    /** How a follower of a compacted topic (the model definitions) reaches the cluster. */
    public FollowerSettings followerSettings() {
        return new FollowerSettings(bootstrapServers(), kafkaProperties());
    }

    /** The compacted model definitions the monitor follows: with any defined, it monitors those models only. */
    public String definitionsTopic() {
        return Topic.DEFINITIONS.name(values);
    }

    /** Model snapshots; the monitor reads only the batch versions ({@code <model>@batch}). */
    public String modelsTopic() {
        return Topic.MODELS.name(values);
    }

    /**
     * Batch models' training rows, published by the retrainer with each promotion (key = model): the reference after
     * a promotion (docs/drift.md, section 8).
     */
    public String driftReferencesTopic() {
        return Topic.DRIFT_REFERENCES.name(values);
    }

    /** Predictions (or labels) waiting for their counterpart, per model; older ones are dropped and counted. */
    public long pendingMax() {
        return values.getLong("drift.pending.max", 50_000);
    }

    /** How long (record time) a prediction waits for its label, or a label for its prediction. */
    public long pendingTtlMillis() {
        return values.getLong("drift.pending.ttl.ms", 3_600_000);
    }

    /**
     * Records of a monitor between two snapshots of its state (docs/drift.md, section 7): the journal holds at most
     * this many entries; a snapshot costs about 26 KB per numeric feature, and Java-serialising it was a visible share
     * of the monitor's time at 500 (bench-drift).
     */
    public int snapshotRecords() {
        return values.getInt("drift.snapshot.records", 2000);
    }

    public String alertsTopic() {
        return Topic.DRIFT_ALERTS.name(values);
    }

    public String retrainRequestsTopic() {
        return Topic.RETRAIN_REQUESTS.name(values);
    }

    /** {@code exactly_once_v2} (default) or {@code at_least_once}. */
    public String processingGuarantee() {
        return values.get("processing.guarantee", "exactly_once_v2");
    }

    public int maxRecordBytes() {
        return values.getInt("max.record.bytes", EventCodec.DEFAULT_MAX_RECORD_BYTES);
    }

    /** Windows, hysteresis and thresholds; throws naming the key when a value is out of range. */
    public MonitorSettings monitorSettings() {
        MonitorSettings defaults = MonitorSettings.DEFAULTS;
        DriftThresholds t = defaults.thresholds();
        DriftThresholds thresholds = new DriftThresholds(
                values.getDouble("drift.psi.moderate", t.psiModerate()), values.getDouble("drift.psi.major", t.psiMajor()),
                values.getDouble("drift.significance", t.significance()), values.getDouble("drift.distance", t.distance()),
                values.getDouble("drift.missing.rate", t.missingRate()));
        return new MonitorSettings(values.getInt("drift.reference.size", defaults.referenceSize()),
                values.getInt("drift.window.size", defaults.windowSize()), values.getInt("drift.window.step", defaults.windowStep()),
                values.getInt("drift.confirm.windows", defaults.confirmWindows()),
                values.getInt("drift.cooldown.windows", defaults.cooldownWindows()),
                values.getDouble("drift.dataset.share", defaults.datasetShare()),
                values.getInt("drift.ks.sample.size", defaults.ksSampleSize()),
                values.getInt("drift.max.categories", defaults.maxCategories()), thresholds,
                detectors(defaults), values.getInt("drift.concept.cooldown", defaults.conceptCooldown()),
                values.getInt("drift.max.features", defaults.maxFeatures()));
    }

    /**
     * {@code drift.models}: the models to monitor, comma-separated; when set, records of any other model are counted
     * as {@code unknown_model} and skipped. Empty (the default): any model, up to {@link #maxModels()}.
     */
    public Set<String> declaredModels() {
        return Arrays.stream(values.get("drift.models", "").split(",")).map(String::strip)
                .filter(name -> !name.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * {@code drift.max.models}: how many models the monitor watches when {@code drift.models} is not set; records of
     * further models are counted as {@code unknown_model} and skipped, so invented model names cannot grow its
     * windows, stores and metric series without bound.
     */
    public int maxModels() {
        return values.getInt("drift.max.models", 100);
    }

    /**
     * {@code drift.pending.max.bytes}: the bytes of predictions and labels waiting for each other that one model may
     * hold; beyond it the oldest are dropped and counted, as beyond {@code drift.pending.max} entries.
     */
    public long pendingMaxBytes() {
        return values.getLong("drift.pending.max.bytes", 16L << 20);
    }

    /** Comma-separated short names or MOA specs; a MOA spec with options has no commas. */
    private List<String> detectors(MonitorSettings defaults) {
        String listed = values.get("drift.concept.detectors", String.join(",", defaults.detectors()));
        List<String> detectors = Arrays.stream(listed.split(",")).map(String::strip).filter(d -> !d.isEmpty()).toList();
        detectors.forEach(ConceptDriftDetectors::create);
        return detectors;
    }

    /**
     * How model-sized values travel in records of bounded size: the monitor's snapshots in {@code drift-state} are
     * written in chunks of at most {@code snapshot.chunk.bytes} (compressed), and batch models and training references
     * are assembled up to {@code snapshot.max.bytes}; the trainer's keys, so one file sizes every service.
     */
    public BlobChunking chunking() {
        return BlobChunking.of(values);
    }

    /**
     * {@value SnapshotSigning#KEY}, the trainer's and the retrainer's key: a batch version on {@code models} counts
     * (resets the model's windows to its training reference) only when signed with it.
     */
    public SnapshotSigning snapshotSigning() {
        return SnapshotSigning.of(values.get(SnapshotSigning.KEY, null));
    }

    /** Properties for Kafka Streams given under {@code kafka.}, prefix removed. */
    public Map<String, String> kafkaProperties() {
        return values.withPrefix(KAFKA_PREFIX);
    }

    /** Fails fast, naming the key, when a value is out of range or a key is unknown to every service. */
    public DriftMonitorConfig validate() {
        values.unknownKeys().forEach(unknown -> require(false, unknown));
        require(!bootstrapServers().isBlank(), "bootstrap.servers must not be empty");
        require(processingGuarantee().equals("exactly_once_v2") || processingGuarantee().equals("at_least_once"),
                "processing.guarantee must be exactly_once_v2 or at_least_once, not " + processingGuarantee());
        require(maxRecordBytes() >= 1024, "max.record.bytes must be at least 1024");
        require(httpPort() >= 0 && httpPort() <= 65_535, "http.port must be between 0 and 65535");
        require(pendingMax() >= 1, "drift.pending.max must be at least 1");
        require(pendingMaxBytes() >= 1024, "drift.pending.max.bytes must be at least 1024");
        require(maxModels() >= 1, "drift.max.models must be at least 1");
        require(snapshotRecords() >= 1, "drift.snapshot.records must be at least 1");
        require(pendingTtlMillis() >= 1, "drift.pending.ttl.ms must be at least 1");
        try {
            monitorSettings();
            chunking();
            snapshotSigning();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid drift monitor configuration: " + e.getMessage(), e);
        }
        return this;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid drift monitor configuration: " + message);
        }
    }
}
