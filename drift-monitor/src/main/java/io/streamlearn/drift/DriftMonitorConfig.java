package io.streamlearn.drift;

import io.streamlearn.drift.statistics.DriftThresholds;
import io.streamlearn.drift.window.MonitorSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings of the drift monitor, read from a key lookup with defaults (in the style of Micrometer's registry configs,
 * like the trainer's). Keys under {@code kafka.} pass through unchanged to Kafka Streams; keys under {@code drift.}
 * shape the windows and thresholds ({@link MonitorSettings}, defaults measured in docs/drift.md). The values come from
 * {@link io.streamlearn.core.config.Settings}: a file, then {@code STREAMLEARN_*} environment variables, then
 * command-line values.
 */
public final class DriftMonitorConfig {

    public static final String KAFKA_PREFIX = "kafka.";

    private final Map<String, String> values;

    private DriftMonitorConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static DriftMonitorConfig of(Map<String, String> values) {
        return new DriftMonitorConfig(values);
    }

    public String bootstrapServers() {
        return get("bootstrap.servers", "localhost:9092");
    }

    /** Its own consumer group: the monitor reads {@code events} independently of the trainer. */
    public String applicationId() {
        return get("drift.application.id", "streamlearn-drift-monitor");
    }

    public String eventsTopic() {
        return get("topic.events", "events");
    }

    public String alertsTopic() {
        return get("topic.drift.alerts", "drift-alerts");
    }

    public String retrainRequestsTopic() {
        return get("topic.retrain.requests", "retrain-requests");
    }

    /** {@code exactly_once_v2} (default) or {@code at_least_once}. */
    public String processingGuarantee() {
        return get("processing.guarantee", "exactly_once_v2");
    }

    public int maxRecordBytes() {
        return getInt("max.record.bytes", 1 << 20);
    }

    /** Windows, hysteresis and thresholds; throws naming the key when a value is out of range. */
    public MonitorSettings monitorSettings() {
        MonitorSettings defaults = MonitorSettings.DEFAULTS;
        DriftThresholds t = defaults.thresholds();
        DriftThresholds thresholds = new DriftThresholds(
                getDouble("drift.psi.moderate", t.psiModerate()), getDouble("drift.psi.major", t.psiMajor()),
                getDouble("drift.significance", t.significance()), getDouble("drift.distance", t.distance()),
                getDouble("drift.missing.rate", t.missingRate()));
        return new MonitorSettings(getInt("drift.reference.size", defaults.referenceSize()),
                getInt("drift.window.size", defaults.windowSize()), getInt("drift.window.step", defaults.windowStep()),
                getInt("drift.confirm.windows", defaults.confirmWindows()),
                getInt("drift.cooldown.windows", defaults.cooldownWindows()),
                getDouble("drift.dataset.share", defaults.datasetShare()),
                getInt("drift.ks.sample.size", defaults.ksSampleSize()),
                getInt("drift.max.categories", defaults.maxCategories()), thresholds,
                // Concept drift is not in the topology yet (docs/drift.md, section 4), so its keys are not read.
                defaults.detectors(), defaults.conceptCooldown());
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
    public DriftMonitorConfig validate() {
        require(!bootstrapServers().isBlank(), "bootstrap.servers must not be empty");
        require(processingGuarantee().equals("exactly_once_v2") || processingGuarantee().equals("at_least_once"),
                "processing.guarantee must be exactly_once_v2 or at_least_once, not " + processingGuarantee());
        require(maxRecordBytes() >= 1024, "max.record.bytes must be at least 1024");
        try {
            monitorSettings();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid drift monitor configuration: " + e.getMessage(), e);
        }
        return this;
    }

    private String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    private int getInt(String key, int fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + value + "'");
        }
    }

    private double getDouble(String key, double fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid drift monitor configuration: " + message);
        }
    }
}
