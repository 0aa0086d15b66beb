package io.streamlearn.retrain;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.config.ConfigValues;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.topic.Topic;
import io.streamlearn.retrain.window.WindowPolicy;
import io.streamlearn.runtime.kafka.FollowerSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the retraining service, read from a key lookup with defaults (like the trainer's and the drift
 * monitor's). Topic keys are the other modules' ({@code topic.events}, {@code topic.models}, {@code topic.pins}...),
 * so one file configures them all; {@code retrain.*} shapes windows, runs and the schedule; keys under {@code kafka.}
 * pass through unchanged to every client. The values come from {@link io.streamlearn.core.config.Settings}: a file,
 * then {@code STREAMLEARN_*} environment variables, then command-line values.
 */
public final class RetrainConfig {

    public static final String KAFKA_PREFIX = "kafka.";

    private final ConfigValues values;
    private final Map<String, String> raw;

    private RetrainConfig(Map<String, String> values) {
        this.values = new ConfigValues(values);
        this.raw = Map.copyOf(values);
    }

    public static RetrainConfig of(Map<String, String> values) {
        return new RetrainConfig(values);
    }

    public String bootstrapServers() {
        return values.get("bootstrap.servers", "localhost:9092");
    }

    /** The port of the retrainer's HTTP routes (runs, the admin trigger, health, metrics); 0 picks a free one. */
    public int httpPort() {
        return values.getInt("http.port", 8083);
    }

    /** The consumer group of {@code retrain-requests}: one instance of the group owns each model's requests. */
    public String groupId() {
        return values.get("retrain.group.id", "streamlearn-retrainer");
    }

    public String eventsTopic() {
        return Topic.EVENTS.name(values);
    }

    public String labelsTopic() {
        return Topic.LABELS.name(values);
    }

    /** The online model's predictions: the gate scores it by those it made before learning each test row. */
    public String predictionsTopic() {
        return Topic.PREDICTIONS.name(values);
    }

    public String modelsTopic() {
        return Topic.MODELS.name(values);
    }

    public String requestsTopic() {
        return Topic.RETRAIN_REQUESTS.name(values);
    }

    public String runsTopic() {
        return Topic.TRAINING_RUNS.name(values);
    }

    /**
     * Where a promotion publishes its training window's feature values for the drift monitor's reference
     * (compacted, keyed by model; docs/drift.md, section 8).
     */
    public String driftReferencesTopic() {
        return Topic.DRIFT_REFERENCES.name(values);
    }

    /**
     * The newest rows of the train split published as the drift reference, at most; the monitor's
     * {@code drift.reference.size} (5,000) by default. 0 publishes none: the monitor then rebuilds its reference from
     * the traffic after the promotion.
     */
    public int driftReferenceRows() {
        return values.getInt("retrain.drift.reference.rows", 5_000);
    }

    public String pinsTopic() {
        return Topic.PINS.name(values);
    }

    /** The bearer token of {@code POST /v1/models/{name}/retrain}, serving's admin token; none disables it (403). */
    public String adminToken() {
        String token = values.get("admin.token", null);
        return token == null || token.isBlank() ? null : token;
    }

    public WindowPolicy windowPolicy() {
        return WindowPolicy.parse(values.get("retrain.window.policy", "since-drift"));
    }

    /** The most labelled rows a window holds, the newest ones. */
    public int windowMaxRows() {
        return values.getInt("retrain.window.max-rows", 100_000);
    }

    /** Fewer labelled rows than this and the run is recorded failed ({@code too_few_rows}). */
    public int windowMinRows() {
        return values.getInt("retrain.window.min-rows", 1_000);
    }

    /**
     * How far before a window's first event the labels are read from: labels arrive after their events, but producers'
     * clocks differ.
     */
    public Duration labelsLookback() {
        return Duration.ofMillis(values.getLong("retrain.labels.lookback.ms", 60_000));
    }

    /** Every this often, each model whose requests this instance owns gets a {@code schedule} request; zero is off. */
    public Duration scheduleInterval() {
        return parseDuration("retrain.schedule.interval", values.get("retrain.schedule.interval", "0"));
    }

    /** Whether a challenger that wins the gate is published and pinned; off, its run ends {@code succeeded}. */
    public boolean promote() {
        return Boolean.parseBoolean(values.get("retrain.promote", "true").strip());
    }

    /** Runs of different models at the same time on this instance; each run uses every core it can. */
    public int concurrentRuns() {
        return values.getInt("retrain.concurrent-runs", 1);
    }

    /** Settings under {@code retrain.} for the batch learner (trials, budget, device, gate), prefix kept. */
    public Map<String, String> retrainSettings() {
        Map<String, String> selected = new java.util.HashMap<>();
        raw.forEach((key, value) -> {
            if (key.startsWith("retrain.")) {
                selected.put(key, value);
            }
        });
        return selected;
    }

    /**
     * How batch models and training references travel in Kafka records of bounded size: chunks of at most
     * {@code snapshot.chunk.bytes} (compressed), assembled by readers up to {@code snapshot.max.bytes}; the trainer's
     * keys, so one file sizes both.
     */
    public BlobChunking chunking() {
        return BlobChunking.of(values);
    }

    /**
     * {@value SnapshotSigning#KEY}, the trainer's and the servers' key: batch versions are published signed with it,
     * and a champion read from {@code models} that is not signed with it is not used.
     */
    public SnapshotSigning snapshotSigning() {
        return SnapshotSigning.of(values.get(SnapshotSigning.KEY, null));
    }

    /** Client properties given under {@code kafka.}, prefix removed. */
    public Map<String, String> kafkaProperties() {
        return values.withPrefix(KAFKA_PREFIX);
    }

    /** The compacted model definitions: requests for a model deleted there are skipped. */
    public String definitionsTopic() {
        return Topic.DEFINITIONS.name(values);
    }

    /** The cluster and client properties the retrainer's topic followers read with. */
    public FollowerSettings followerSettings() {
        return new FollowerSettings(bootstrapServers(), kafkaProperties());
    }

    /** Fails fast, naming the key, when a value is out of range or a key is unknown to every service. */
    public RetrainConfig validate() {
        try {
            values.unknownKeys().forEach(unknown -> require(false, unknown));
            require(!bootstrapServers().isBlank(), "bootstrap.servers must not be empty");
            windowPolicy();
            require(httpPort() >= 0 && httpPort() <= 65_535, "http.port must be between 0 and 65535");
            require(windowMaxRows() >= 10, "retrain.window.max-rows must be at least 10");
            require(windowMinRows() >= 1, "retrain.window.min-rows must be positive");
            require(windowMinRows() <= windowMaxRows(), "retrain.window.min-rows must not exceed retrain.window.max-rows");
            require(!labelsLookback().isNegative(), "retrain.labels.lookback.ms must not be negative");
            require(!scheduleInterval().isNegative(), "retrain.schedule.interval must not be negative");
            require(scheduleInterval().isZero() || scheduleInterval().toSeconds() >= 1,
                    "retrain.schedule.interval must be 0 (off) or at least 1s");
            String promote = values.get("retrain.promote", "true").strip().toLowerCase(Locale.ROOT);
            require(promote.equals("true") || promote.equals("false"), "retrain.promote must be true or false");
            require(driftReferenceRows() >= 0, "retrain.drift.reference.rows must not be negative");
            require(concurrentRuns() >= 1, "retrain.concurrent-runs must be positive");
            chunking();
            try {
                snapshotSigning();
            } catch (IllegalArgumentException e) {
                require(false, SnapshotSigning.KEY + ": " + e.getMessage());
            }
            for (String topic : new String[] {eventsTopic(), labelsTopic(), modelsTopic(), requestsTopic(), runsTopic(),
                pinsTopic(), driftReferencesTopic()}) {
                require(!topic.isBlank(), "topic names must not be empty");
            }
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("invalid retrainer configuration") ? e
                    : new IllegalArgumentException("invalid retrainer configuration: " + e.getMessage(), e);
        }
        return this;
    }

    /** {@code 0}, a number of milliseconds, or a number with a unit: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 6h}, {@code 1d}. */
    static Duration parseDuration(String key, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).strip()));
            }
            long amount = Character.isDigit(value.charAt(value.length() - 1)) ? Long.parseLong(value)
                    : Long.parseLong(value.substring(0, value.length() - 1).strip());
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> Duration.ofMillis(amount);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be a duration such as 0, 30s, 15m, 6h or 1d, not '" + text
                    + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid retrainer configuration: " + message);
        }
    }
}
