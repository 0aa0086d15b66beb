package io.streamlearn.serve;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.config.ConfigValues;
import io.streamlearn.core.config.KnownKeys;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.topic.Topic;
import io.streamlearn.runtime.http.HttpServerSettings;
import io.streamlearn.runtime.kafka.FollowerSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configuration of the prediction server, read from a key lookup with defaults like the other services' configs
 * (Micrometer's registry-config style). {@link #fromMap} reads it from flat keys (a properties file with environment
 * overrides, merged by the caller) and validates it; the keys only other services read are ignored so that one file
 * can configure the trainer and the server, and keys no service reads are refused ({@link KnownKeys}). The topic keys
 * are the other services' ({@code topic.models}, {@code topic.pins}, {@code topic.predictions}, {@code topic.labels});
 * the first releases' {@code models.topic}, {@code pins.topic}, {@code predictions.topic} and {@code labels.topic}
 * are still read, with a WARN. Kafka consumer properties pass through unchanged under the {@value #KAFKA_PREFIX}
 * prefix. The {@code with*} methods return a copy with one key changed, for servers built in code (tests, the demo,
 * benchmarks).
 */
public final class ServingConfig {

    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String MAX_BODY_BYTES = "http.max-body-bytes";
    public static final String MAX_BATCH_INSTANCES = "http.max-batch-instances";
    public static final String MODELS_TOPIC = "topic.models";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String KEEP_VERSIONS = "models.keep-versions";
    public static final String PINS_TOPIC = "topic.pins";
    public static final String ADMIN_TOKEN = "admin.token";
    public static final String PREDICTIONS_TOPIC = "topic.predictions";
    public static final String LABELS_TOPIC = "topic.labels";
    public static final String LOG_SAMPLE_RATE = "serving.log-sample-rate";
    public static final String REQUEST_TIMEOUT_MS = "http.request-timeout-ms";
    public static final String BLOCKED_THREAD_CHECK_INTERVAL_MS = "vertx.blocked-thread-check-interval-ms";
    public static final String MAX_EVENT_LOOP_EXECUTE_TIME_MS = "vertx.max-event-loop-execute-time-ms";
    public static final String SNAPSHOT_SIGNING_KEY = "snapshot.signing.key";
    public static final String HTTP_EVENT_LOOPS = "http.event-loops";
    public static final String LABELS_TOKEN = "labels.token";

    public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
    public static final int DEFAULT_MAX_BATCH_INSTANCES = 1000;
    public static final String DEFAULT_MODELS_TOPIC = Topic.MODELS.defaultName();
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final int DEFAULT_KEEP_VERSIONS = ModelRegistry.DEFAULT_KEEP_VERSIONS;
    public static final String DEFAULT_PINS_TOPIC = Topic.PINS.defaultName();
    public static final String DEFAULT_PREDICTIONS_TOPIC = Topic.PREDICTIONS.defaultName();
    public static final String DEFAULT_LABELS_TOPIC = Topic.LABELS.defaultName();
    public static final double DEFAULT_LOG_SAMPLE_RATE = 1.0;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    /** Vert.x's own defaults (VertxOptions): check every second, warn after 2 s on an event loop. */
    public static final long DEFAULT_BLOCKED_THREAD_CHECK_INTERVAL_MS = 1_000;
    public static final long DEFAULT_MAX_EVENT_LOOP_EXECUTE_TIME_MS = 2_000;
    /** One HTTP event loop per core: Vert.x's recommendation for a server verticle (one instance per core). */
    public static final int DEFAULT_HTTP_EVENT_LOOPS = Runtime.getRuntime().availableProcessors();

    /** Consumer properties the model follower sets itself; overriding them would break its guarantees. */
    static final Set<String> RESERVED_KAFKA_PROPERTIES =
            Set.of("bootstrap.servers", "key.deserializer", "value.deserializer", "isolation.level");

    private final Map<String, String> settings;
    private final ConfigValues values;

    private ServingConfig(Map<String, String> settings) {
        this.settings = Map.copyOf(KnownKeys.renameDeprecated(settings));
        this.values = new ConfigValues(this.settings);
    }

    public static ServingConfig defaults() {
        return new ServingConfig(Map.of());
    }

    /**
     * Reads the keys of the server (docs/configuration.md: {@value #HTTP_HOST}, {@value #HTTP_PORT}, the topics, every
     * {@code kafka.*} key, ... {@value #LABELS_TOKEN}); absent keys keep their defaults. The result is validated.
     *
     * @throws IllegalArgumentException naming the key and the value at fault, or a key no service reads
     */
    public static ServingConfig fromMap(Map<String, String> values) {
        ServingConfig config;
        try {
            config = new ServingConfig(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid serving configuration: " + e.getMessage(), e);
        }
        List<String> unknown = config.values.unknownKeys();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("invalid serving configuration: " + String.join("; ", unknown));
        }
        return config.validate();
    }

    /** Interface the HTTP server binds to. */
    public String httpHost() {
        return values.get(HTTP_HOST, DEFAULT_HTTP_HOST);
    }

    /** 0 picks a free port; {@link PredictionServer#port()} reports the one chosen. */
    public int httpPort() {
        return values.getInt(HTTP_PORT, DEFAULT_HTTP_PORT);
    }

    /** Larger request bodies are answered with 413. */
    public long maxBodyBytes() {
        return values.getLong(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES);
    }

    /** Larger {@code instances} arrays are answered with 413. */
    public int maxBatchInstances() {
        return values.getInt(MAX_BATCH_INSTANCES, DEFAULT_MAX_BATCH_INSTANCES);
    }

    /** The compacted topic of model snapshots the server follows. */
    public String modelsTopic() {
        return Topic.MODELS.name(values);
    }

    public String bootstrapServers() {
        return values.get(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP_SERVERS);
    }

    /** Extra client properties (security, timeouts), without the prefix. */
    public Map<String, String> kafkaProperties() {
        Map<String, String> kafka = new HashMap<>(values.withPrefix(KAFKA_PREFIX));
        kafka.remove(""); // a bare "kafka." key names no consumer property
        return Map.copyOf(kafka);
    }

    /** How many of each model's newest versions are held, for {@code versions/{v}} routes and rollback. */
    public int keepVersions() {
        return values.getInt(KEEP_VERSIONS, DEFAULT_KEEP_VERSIONS);
    }

    /** The compacted topic of model definitions: a model deleted there is no longer served. */
    public String definitionsTopic() {
        return Topic.DEFINITIONS.name(values);
    }

    /** The compacted topic of pinned versions, shared by every replica. */
    public String pinsTopic() {
        return Topic.PINS.name(values);
    }

    /** The bearer token of the admin routes; {@code null} disables them (403). */
    public String adminToken() {
        return values.get(ADMIN_TOKEN, null);
    }

    /** Where served predictions are logged, as the trainer logs its own. */
    public String predictionsTopic() {
        return Topic.PREDICTIONS.name(values);
    }

    /** Where labelled events posted to {@code /learn} go, for the trainer to learn from. */
    public String eventsTopic() {
        return Topic.EVENTS.name(values);
    }

    /** Where labels posted over HTTP go, for the trainer to join. */
    public String labelsTopic() {
        return Topic.LABELS.name(values);
    }

    /** The share of served predictions logged, 0 to 1. */
    public double logSampleRate() {
        return values.getDouble(LOG_SAMPLE_RATE, DEFAULT_LOG_SAMPLE_RATE);
    }

    /** A request not answered within this time is answered 503 {@code request_timeout}. */
    public long requestTimeoutMs() {
        return values.getLong(REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS);
    }

    /** How often Vert.x checks for event loops blocked too long. */
    public long blockedThreadCheckIntervalMs() {
        return values.getLong(BLOCKED_THREAD_CHECK_INTERVAL_MS, DEFAULT_BLOCKED_THREAD_CHECK_INTERVAL_MS);
    }

    /** How long one event-loop task may run before Vert.x logs a blocked-thread warning. */
    public long maxEventLoopExecuteTimeMs() {
        return values.getLong(MAX_EVENT_LOOP_EXECUTE_TIME_MS, DEFAULT_MAX_EVENT_LOOP_EXECUTE_TIME_MS);
    }

    /** The HMAC key snapshots must be signed with ({@link SnapshotSigning}); {@code null} accepts unsigned ones. */
    public String snapshotSigningKey() {
        return values.get(SNAPSHOT_SIGNING_KEY, null);
    }

    /** How many event loops answer HTTP requests, each with its own server on the shared port. */
    public int httpEventLoops() {
        return values.getInt(HTTP_EVENT_LOOPS, DEFAULT_HTTP_EVENT_LOOPS);
    }

    /** Idle timeout, request line and header limits, connection limit and optional TLS of the HTTP server. */
    public HttpServerSettings httpServer() {
        return HttpServerSettings.read(values);
    }

    /** The bearer token {@code POST /v1/models/{name}/labels} requires; {@code null} accepts labels from anyone. */
    public String labelsToken() {
        return values.get(LABELS_TOKEN, null);
    }

    /** The cluster and client properties every follower of this server (models, pins) reads with. */
    public FollowerSettings followerSettings() {
        return new FollowerSettings(bootstrapServers(), kafkaProperties());
    }

    /** How large a snapshot this server assembles from its chunks: {@code snapshot.max.bytes}. */
    public BlobChunking chunking() {
        return BlobChunking.of(values);
    }

    /** The signatures snapshots must carry to be served. */
    public SnapshotSigning snapshotSigning() {
        return SnapshotSigning.of(snapshotSigningKey());
    }

    /**
     * Fails fast, naming every key at fault.
     *
     * @return this configuration, for chaining
     * @throws IllegalArgumentException when a value does not parse or is out of range, or a reserved Kafka property is
     *                                  overridden
     */
    public ServingConfig validate() {
        List<String> problems = new ArrayList<>();
        try {
            checkRanges(problems);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid serving configuration: " + String.join("; ", problems));
        }
        return this;
    }

    /** @throws IllegalArgumentException naming the key when a value does not parse */
    private void checkRanges(List<String> problems) {
        nonBlank(HTTP_HOST, httpHost(), problems);
        check(httpPort() >= 0 && httpPort() <= 65_535, HTTP_PORT + " must be between 0 and 65535, got " + httpPort(),
                problems);
        positive(MAX_BODY_BYTES, maxBodyBytes(), problems);
        positive(MAX_BATCH_INSTANCES, maxBatchInstances(), problems);
        nonBlank(MODELS_TOPIC, modelsTopic(), problems);
        nonBlank(BOOTSTRAP_SERVERS, bootstrapServers(), problems);
        positive(KEEP_VERSIONS, keepVersions(), problems);
        nonBlank(PINS_TOPIC, pinsTopic(), problems);
        check(adminToken() == null || !adminToken().isBlank(),
                ADMIN_TOKEN + " must not be blank; leave it out to disable the admin routes", problems);
        nonBlank(PREDICTIONS_TOPIC, predictionsTopic(), problems);
        nonBlank(LABELS_TOPIC, labelsTopic(), problems);
        check(logSampleRate() >= 0 && logSampleRate() <= 1,
                LOG_SAMPLE_RATE + " must be between 0 and 1, got " + logSampleRate(), problems);
        positive(REQUEST_TIMEOUT_MS, requestTimeoutMs(), problems);
        positive(BLOCKED_THREAD_CHECK_INTERVAL_MS, blockedThreadCheckIntervalMs(), problems);
        positive(MAX_EVENT_LOOP_EXECUTE_TIME_MS, maxEventLoopExecuteTimeMs(), problems);
        positive(HTTP_EVENT_LOOPS, httpEventLoops(), problems);
        httpServer().validate(problems);
        check(labelsToken() == null || !labelsToken().isBlank(),
                LABELS_TOKEN + " must not be blank; leave it out to accept labels without a token", problems);
        try {
            snapshotSigning();
        } catch (IllegalArgumentException e) {
            problems.add(SNAPSHOT_SIGNING_KEY + ": " + e.getMessage());
        }
        try {
            chunking();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        kafkaProperties().keySet().stream().filter(RESERVED_KAFKA_PROPERTIES::contains).sorted().forEach(key ->
                problems.add(KAFKA_PREFIX + key + " is set by the model follower itself"
                        + (key.equals(BOOTSTRAP_SERVERS) ? "; use " + BOOTSTRAP_SERVERS : "; remove it")));
    }

    public ServingConfig withHttpHost(String host) {
        return with(HTTP_HOST, host);
    }

    public ServingConfig withHttpPort(int port) {
        return with(HTTP_PORT, port);
    }

    public ServingConfig withMaxBodyBytes(long bytes) {
        return with(MAX_BODY_BYTES, bytes);
    }

    public ServingConfig withMaxBatchInstances(int instances) {
        return with(MAX_BATCH_INSTANCES, instances);
    }

    public ServingConfig withModelsTopic(String topic) {
        return with(MODELS_TOPIC, topic);
    }

    public ServingConfig withBootstrapServers(String servers) {
        return with(BOOTSTRAP_SERVERS, servers);
    }

    /** @param properties consumer properties without the {@value #KAFKA_PREFIX} prefix; they replace the current ones */
    public ServingConfig withKafkaProperties(Map<String, String> properties) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.keySet().removeIf(key -> key.startsWith(KAFKA_PREFIX));
        properties.forEach((key, value) -> copy.put(KAFKA_PREFIX + key, value));
        return new ServingConfig(copy);
    }

    public ServingConfig withKeepVersions(int versions) {
        return with(KEEP_VERSIONS, versions);
    }

    public ServingConfig withPinsTopic(String topic) {
        return with(PINS_TOPIC, topic);
    }

    /** @param token {@code null} disables the admin routes */
    public ServingConfig withAdminToken(String token) {
        return with(ADMIN_TOKEN, token);
    }

    public ServingConfig withPredictionsTopic(String topic) {
        return with(PREDICTIONS_TOPIC, topic);
    }

    public ServingConfig withLabelsTopic(String topic) {
        return with(LABELS_TOPIC, topic);
    }

    public ServingConfig withLogSampleRate(double rate) {
        return with(LOG_SAMPLE_RATE, rate);
    }

    public ServingConfig withRequestTimeoutMs(long millis) {
        return with(REQUEST_TIMEOUT_MS, millis);
    }

    /**
     * @param checkIntervalMs    how often Vert.x checks its event loops
     * @param maxExecuteTimeMs   how long one event-loop task may run before a blocked-thread warning
     */
    public ServingConfig withBlockedThreadCheck(long checkIntervalMs, long maxExecuteTimeMs) {
        return with(BLOCKED_THREAD_CHECK_INTERVAL_MS, checkIntervalMs).with(MAX_EVENT_LOOP_EXECUTE_TIME_MS,
                maxExecuteTimeMs);
    }

    /** @param key {@code null} accepts unsigned snapshots */
    public ServingConfig withSnapshotSigningKey(String key) {
        return with(SNAPSHOT_SIGNING_KEY, key);
    }

    public ServingConfig withHttpEventLoops(int eventLoops) {
        return with(HTTP_EVENT_LOOPS, eventLoops);
    }

    public ServingConfig withHttpServer(HttpServerSettings server) {
        return with(HttpServerSettings.IDLE_TIMEOUT_MS, server.idleTimeoutMs())
                .with(HttpServerSettings.MAX_HEADER_BYTES, server.maxHeaderBytes())
                .with(HttpServerSettings.MAX_INITIAL_LINE_LENGTH, server.maxInitialLineLength())
                .with(HttpServerSettings.MAX_CONNECTIONS, server.maxConnections())
                .with(HttpServerSettings.TLS_CERT_PATH, server.tlsCertPath())
                .with(HttpServerSettings.TLS_KEY_PATH, server.tlsKeyPath());
    }

    /** @param token {@code null} accepts labels without a token */
    public ServingConfig withLabelsToken(String token) {
        return with(LABELS_TOKEN, token);
    }

    /** Never shows the admin, labels or signing secrets, nor Kafka property values, which would otherwise reach logs. */
    @Override
    public String toString() {
        return "ServingConfig[httpHost=" + httpHost() + ", httpPort=" + httpPort() + ", maxBodyBytes="
                + maxBodyBytes() + ", maxBatchInstances=" + maxBatchInstances() + ", modelsTopic=" + modelsTopic()
                + ", bootstrapServers=" + bootstrapServers() + ", kafkaProperties=" + kafkaProperties().keySet()
                + ", keepVersions=" + keepVersions() + ", pinsTopic=" + pinsTopic() + ", adminToken="
                + hidden(adminToken()) + ", predictionsTopic=" + predictionsTopic() + ", labelsTopic=" + labelsTopic()
                + ", logSampleRate=" + logSampleRate() + ", requestTimeoutMs=" + requestTimeoutMs()
                + ", blockedThreadCheckIntervalMs=" + blockedThreadCheckIntervalMs() + ", maxEventLoopExecuteTimeMs="
                + maxEventLoopExecuteTimeMs() + ", snapshotSigningKey=" + hidden(snapshotSigningKey())
                + ", httpEventLoops=" + httpEventLoops() + ", httpServer=" + httpServer() + ", labelsToken="
                + hidden(labelsToken()) + "]";
    }

    /** A copy with {@code key} set to {@code value}, or unset when it is {@code null}; like the others, not validated. */
    private ServingConfig with(String key, Object value) {
        Map<String, String> copy = new HashMap<>(settings);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value.toString());
        }
        return new ServingConfig(copy);
    }

    private static String hidden(String secret) {
        return secret == null ? "none" : "***";
    }

    private static void nonBlank(String key, String value, List<String> problems) {
        check(value != null && !value.isBlank(), key + " must not be empty", problems);
    }

    private static void positive(String key, long value, List<String> problems) {
        check(value >= 1, key + " must be positive, got " + value, problems);
    }

    private static void check(boolean condition, String problem, List<String> problems) {
        if (!condition) {
            problems.add(problem);
        }
    }
}
