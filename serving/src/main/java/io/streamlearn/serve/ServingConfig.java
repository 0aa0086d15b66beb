package io.streamlearn.serve;

import io.streamlearn.core.config.ConfigValues;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.topic.Topic;
import io.streamlearn.runtime.http.HttpServerSettings;
import io.streamlearn.runtime.kafka.FollowerSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Configuration of the prediction server. {@link #fromMap} reads it from flat keys (a properties file with environment
 * overrides, merged by the caller); the keys only other services read are ignored so that one file can configure the
 * trainer and the server, and keys no service reads are refused ({@code KnownKeys}). The topic keys are the other
 * services' ({@code topic.models}, {@code topic.pins}, {@code topic.predictions}, {@code topic.labels}); the first
 * releases' {@code models.topic}, {@code pins.topic}, {@code predictions.topic} and {@code labels.topic} are still read,
 * with a WARN. Kafka consumer properties pass through unchanged under the {@value #KAFKA_PREFIX} prefix.
 *
 * @param httpHost          interface the HTTP server binds to
 * @param httpPort          0 picks a free port; {@link PredictionServer#port()} reports the one chosen
 * @param maxBodyBytes      larger request bodies are answered with 413
 * @param maxBatchInstances larger {@code instances} arrays are answered with 413
 * @param modelsTopic       the compacted topic the server follows
 * @param bootstrapServers  the Kafka cluster of {@code modelsTopic}
 * @param kafkaProperties   extra consumer properties (security, timeouts), without the prefix
 * @param keepVersions      how many of each model's newest versions are held, for {@code versions/{v}} routes and
 *                          rollback
 * @param pinsTopic         the compacted topic of pinned versions, shared by every replica
 * @param adminToken        the bearer token of the admin routes; {@code null} disables them (403)
 * @param predictionsTopic  where served predictions are logged, as the trainer logs its own
 * @param labelsTopic       where labels posted over HTTP go, for the trainer to join
 * @param logSampleRate     the share of served predictions logged, 0 to 1
 * @param requestTimeoutMs  a request not answered within this time is answered 503 {@code request_timeout}
 * @param blockedThreadCheckIntervalMs how often Vert.x checks for event loops blocked too long
 * @param maxEventLoopExecuteTimeMs    how long one event-loop task may run before Vert.x logs a blocked-thread
 *                                     warning
 * @param snapshotSigningKey the HMAC key snapshots must be signed with ({@code SnapshotSigning}); {@code null}
 *                           accepts unsigned snapshots
 * @param httpEventLoops    how many event loops answer HTTP requests, each with its own server on the shared port;
 *                          one per core by default
 * @param httpServer        idle timeout, request line and header limits, connection limit and optional TLS of the
 *                          HTTP server
 * @param labelsToken       the bearer token {@code POST /v1/models/{name}/labels} requires; {@code null} accepts
 *                          labels from anyone who can reach the server
 */
public record ServingConfig(
        String httpHost,
        int httpPort,
        long maxBodyBytes,
        int maxBatchInstances,
        String modelsTopic,
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        int keepVersions,
        String pinsTopic,
        String adminToken,
        String predictionsTopic,
        String labelsTopic,
        double logSampleRate,
        long requestTimeoutMs,
        long blockedThreadCheckIntervalMs,
        long maxEventLoopExecuteTimeMs,
        String snapshotSigningKey,
        int httpEventLoops,
        HttpServerSettings httpServer,
        String labelsToken) {

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

    public ServingConfig {
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
        httpServer = httpServer == null ? HttpServerSettings.defaults() : httpServer;
    }

    /** The cluster and client properties every follower of this server (models, pins) reads with. */
    public FollowerSettings followerSettings() {
        return new FollowerSettings(bootstrapServers, kafkaProperties);
    }

    public static ServingConfig defaults() {
        return new ServingConfig(DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, DEFAULT_MAX_BODY_BYTES,
                DEFAULT_MAX_BATCH_INSTANCES, DEFAULT_MODELS_TOPIC, DEFAULT_BOOTSTRAP_SERVERS, Map.of(),
                DEFAULT_KEEP_VERSIONS, DEFAULT_PINS_TOPIC, null, DEFAULT_PREDICTIONS_TOPIC, DEFAULT_LABELS_TOPIC,
                DEFAULT_LOG_SAMPLE_RATE, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_BLOCKED_THREAD_CHECK_INTERVAL_MS,
                DEFAULT_MAX_EVENT_LOOP_EXECUTE_TIME_MS, null, DEFAULT_HTTP_EVENT_LOOPS, HttpServerSettings.defaults(),
                null);
    }

    /**
     * Reads the keys {@value #HTTP_HOST}, {@value #HTTP_PORT}, {@value #MAX_BODY_BYTES}, {@value #MAX_BATCH_INSTANCES},
     * {@value #MODELS_TOPIC}, {@value #BOOTSTRAP_SERVERS}, every {@code kafka.*} key, {@value #KEEP_VERSIONS},
     * {@value #PINS_TOPIC}, {@value #ADMIN_TOKEN}, {@value #PREDICTIONS_TOPIC}, {@value #LABELS_TOPIC},
     * {@value #LOG_SAMPLE_RATE}, {@value #REQUEST_TIMEOUT_MS}, {@value #BLOCKED_THREAD_CHECK_INTERVAL_MS},
     * {@value #MAX_EVENT_LOOP_EXECUTE_TIME_MS}, {@value #SNAPSHOT_SIGNING_KEY}, {@value #HTTP_EVENT_LOOPS}, the keys of
     * {@link HttpServerSettings#read} and {@value #LABELS_TOKEN}; absent keys keep their defaults. The result is
     * validated.
     *
     * @throws IllegalArgumentException naming the key and the value at fault, or a key no service reads
     */
    public static ServingConfig fromMap(Map<String, String> values) {
        ServingConfig config;
        try {
            ConfigValues lookup = new ConfigValues(values);
            List<String> unknown = lookup.unknownKeys();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", unknown));
            }
            config = read(lookup);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid serving configuration: " + e.getMessage(), e);
        }
        return config.validate();
    }

    /** @throws IllegalArgumentException naming the key and the value when a number does not parse */
    private static ServingConfig read(ConfigValues values) {
        Map<String, String> kafka = new HashMap<>(values.withPrefix(KAFKA_PREFIX));
        kafka.remove(""); // a bare "kafka." key names no consumer property
        return new ServingConfig(
                values.get(HTTP_HOST, DEFAULT_HTTP_HOST),
                values.getInt(HTTP_PORT, DEFAULT_HTTP_PORT),
                values.getLong(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
                values.getInt(MAX_BATCH_INSTANCES, DEFAULT_MAX_BATCH_INSTANCES),
                values.get(MODELS_TOPIC, DEFAULT_MODELS_TOPIC),
                values.get(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP_SERVERS),
                kafka,
                values.getInt(KEEP_VERSIONS, DEFAULT_KEEP_VERSIONS),
                values.get(PINS_TOPIC, DEFAULT_PINS_TOPIC),
                values.get(ADMIN_TOKEN, null),
                values.get(PREDICTIONS_TOPIC, DEFAULT_PREDICTIONS_TOPIC),
                values.get(LABELS_TOPIC, DEFAULT_LABELS_TOPIC),
                values.getDouble(LOG_SAMPLE_RATE, DEFAULT_LOG_SAMPLE_RATE),
                values.getLong(REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS),
                values.getLong(BLOCKED_THREAD_CHECK_INTERVAL_MS, DEFAULT_BLOCKED_THREAD_CHECK_INTERVAL_MS),
                values.getLong(MAX_EVENT_LOOP_EXECUTE_TIME_MS, DEFAULT_MAX_EVENT_LOOP_EXECUTE_TIME_MS),
                values.get(SNAPSHOT_SIGNING_KEY, null),
                values.getInt(HTTP_EVENT_LOOPS, DEFAULT_HTTP_EVENT_LOOPS),
                HttpServerSettings.read(values),
                values.get(LABELS_TOKEN, null));
    }

    /**
     * Fails fast, naming every key at fault.
     *
     * @return this configuration, for chaining
     * @throws IllegalArgumentException when a value is out of range or a reserved Kafka property is overridden
     */
    public ServingConfig validate() {
        List<String> problems = new ArrayList<>();
        if (isBlank(httpHost)) {
            problems.add(HTTP_HOST + " must not be empty");
        }
        if (httpPort < 0 || httpPort > 65_535) {
            problems.add(HTTP_PORT + " must be between 0 and 65535, got " + httpPort);
        }
        if (maxBodyBytes < 1) {
            problems.add(MAX_BODY_BYTES + " must be positive, got " + maxBodyBytes);
        }
        if (maxBatchInstances < 1) {
            problems.add(MAX_BATCH_INSTANCES + " must be positive, got " + maxBatchInstances);
        }
        if (isBlank(modelsTopic)) {
            problems.add(MODELS_TOPIC + " must not be empty");
        }
        if (isBlank(bootstrapServers)) {
            problems.add(BOOTSTRAP_SERVERS + " must not be empty");
        }
        if (keepVersions < 1) {
            problems.add(KEEP_VERSIONS + " must be positive, got " + keepVersions);
        }
        if (isBlank(pinsTopic)) {
            problems.add(PINS_TOPIC + " must not be empty");
        }
        if (adminToken != null && adminToken.isBlank()) {
            problems.add(ADMIN_TOKEN + " must not be blank; leave it out to disable the admin routes");
        }
        if (isBlank(predictionsTopic)) {
            problems.add(PREDICTIONS_TOPIC + " must not be empty");
        }
        if (isBlank(labelsTopic)) {
            problems.add(LABELS_TOPIC + " must not be empty");
        }
        if (!(logSampleRate >= 0 && logSampleRate <= 1)) {
            problems.add(LOG_SAMPLE_RATE + " must be between 0 and 1, got " + logSampleRate);
        }
        if (requestTimeoutMs < 1) {
            problems.add(REQUEST_TIMEOUT_MS + " must be positive, got " + requestTimeoutMs);
        }
        if (blockedThreadCheckIntervalMs < 1) {
            problems.add(BLOCKED_THREAD_CHECK_INTERVAL_MS + " must be positive, got " + blockedThreadCheckIntervalMs);
        }
        if (maxEventLoopExecuteTimeMs < 1) {
            problems.add(MAX_EVENT_LOOP_EXECUTE_TIME_MS + " must be positive, got " + maxEventLoopExecuteTimeMs);
        }
        if (httpEventLoops < 1) {
            problems.add(HTTP_EVENT_LOOPS + " must be positive, got " + httpEventLoops);
        }
        httpServer.validate(problems);
        if (labelsToken != null && labelsToken.isBlank()) {
            problems.add(LABELS_TOKEN + " must not be blank; leave it out to accept labels without a token");
        }
        try {
            SnapshotSigning.of(snapshotSigningKey);
        } catch (IllegalArgumentException e) {
            problems.add(SNAPSHOT_SIGNING_KEY + ": " + e.getMessage());
        }
        kafkaProperties.keySet().stream().filter(RESERVED_KAFKA_PROPERTIES::contains).sorted().forEach(key ->
                problems.add(KAFKA_PREFIX + key + " is set by the model follower itself"
                        + (key.equals(BOOTSTRAP_SERVERS) ? "; use " + BOOTSTRAP_SERVERS : "; remove it")));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid serving configuration: " + String.join("; ", problems));
        }
        return this;
    }

    public ServingConfig withHttpHost(String host) {
        return with(b -> b.httpHost = host);
    }

    public ServingConfig withHttpPort(int port) {
        return with(b -> b.httpPort = port);
    }

    public ServingConfig withMaxBodyBytes(long bytes) {
        return with(b -> b.maxBodyBytes = bytes);
    }

    public ServingConfig withMaxBatchInstances(int instances) {
        return with(b -> b.maxBatchInstances = instances);
    }

    public ServingConfig withModelsTopic(String topic) {
        return with(b -> b.modelsTopic = topic);
    }

    public ServingConfig withBootstrapServers(String servers) {
        return with(b -> b.bootstrapServers = servers);
    }

    /** @param properties consumer properties without the {@value #KAFKA_PREFIX} prefix; they replace the current ones */
    public ServingConfig withKafkaProperties(Map<String, String> properties) {
        return with(b -> b.kafkaProperties = properties);
    }

    public ServingConfig withKeepVersions(int versions) {
        return with(b -> b.keepVersions = versions);
    }

    public ServingConfig withPinsTopic(String topic) {
        return with(b -> b.pinsTopic = topic);
    }

    /** @param token {@code null} disables the admin routes */
    public ServingConfig withAdminToken(String token) {
        return with(b -> b.adminToken = token);
    }

    public ServingConfig withPredictionsTopic(String topic) {
        return with(b -> b.predictionsTopic = topic);
    }

    public ServingConfig withLabelsTopic(String topic) {
        return with(b -> b.labelsTopic = topic);
    }

    public ServingConfig withLogSampleRate(double rate) {
        return with(b -> b.logSampleRate = rate);
    }

    public ServingConfig withRequestTimeoutMs(long millis) {
        return with(b -> b.requestTimeoutMs = millis);
    }

    /**
     * @param checkIntervalMs    how often Vert.x checks its event loops
     * @param maxExecuteTimeMs   how long one event-loop task may run before a blocked-thread warning
     */
    public ServingConfig withBlockedThreadCheck(long checkIntervalMs, long maxExecuteTimeMs) {
        return with(b -> {
            b.blockedThreadCheckIntervalMs = checkIntervalMs;
            b.maxEventLoopExecuteTimeMs = maxExecuteTimeMs;
        });
    }

    /** @param key {@code null} accepts unsigned snapshots */
    public ServingConfig withSnapshotSigningKey(String key) {
        return with(b -> b.snapshotSigningKey = key);
    }

    public ServingConfig withHttpEventLoops(int eventLoops) {
        return with(b -> b.httpEventLoops = eventLoops);
    }

    public ServingConfig withHttpServer(HttpServerSettings settings) {
        return with(b -> b.httpServer = settings);
    }

    /** @param token {@code null} accepts labels without a token */
    public ServingConfig withLabelsToken(String token) {
        return with(b -> b.labelsToken = token);
    }

    /** The signatures snapshots must carry to be served. */
    public SnapshotSigning snapshotSigning() {
        return SnapshotSigning.of(snapshotSigningKey);
    }

    /** Never shows the admin, labels or signing secrets, which would otherwise reach logs. */
    @Override
    public String toString() {
        return "ServingConfig[httpHost=" + httpHost + ", httpPort=" + httpPort + ", maxBodyBytes=" + maxBodyBytes
                + ", maxBatchInstances=" + maxBatchInstances + ", modelsTopic=" + modelsTopic + ", bootstrapServers="
                + bootstrapServers + ", kafkaProperties=" + kafkaProperties.keySet() + ", keepVersions="
                + keepVersions + ", pinsTopic=" + pinsTopic + ", adminToken=" + (adminToken == null ? "none" : "***")
                + ", predictionsTopic=" + predictionsTopic + ", labelsTopic=" + labelsTopic + ", logSampleRate="
                + logSampleRate + ", requestTimeoutMs=" + requestTimeoutMs + ", blockedThreadCheckIntervalMs="
                + blockedThreadCheckIntervalMs + ", maxEventLoopExecuteTimeMs=" + maxEventLoopExecuteTimeMs
                + ", snapshotSigningKey=" + (snapshotSigningKey == null ? "none" : "***") + ", httpEventLoops="
                + httpEventLoops + ", httpServer=" + httpServer + ", labelsToken="
                + (labelsToken == null ? "none" : "***") + "]";
    }

    /** A copy with {@code change} applied; like the constructor, it does not validate. */
    private ServingConfig with(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** A mutable copy of every component, so that a wither names only the one it changes. */
    private static final class Copy {
        String httpHost;
        int httpPort;
        long maxBodyBytes;
        int maxBatchInstances;
        String modelsTopic;
        String bootstrapServers;
        Map<String, String> kafkaProperties;
        int keepVersions;
        String pinsTopic;
        String adminToken;
        String predictionsTopic;
        String labelsTopic;
        double logSampleRate;
        long requestTimeoutMs;
        long blockedThreadCheckIntervalMs;
        long maxEventLoopExecuteTimeMs;
        String snapshotSigningKey;
        int httpEventLoops;
        HttpServerSettings httpServer;
        String labelsToken;

        Copy(ServingConfig config) {
            httpHost = config.httpHost;
            httpPort = config.httpPort;
            maxBodyBytes = config.maxBodyBytes;
            maxBatchInstances = config.maxBatchInstances;
            modelsTopic = config.modelsTopic;
            bootstrapServers = config.bootstrapServers;
            kafkaProperties = config.kafkaProperties;
            keepVersions = config.keepVersions;
            pinsTopic = config.pinsTopic;
            adminToken = config.adminToken;
            predictionsTopic = config.predictionsTopic;
            labelsTopic = config.labelsTopic;
            logSampleRate = config.logSampleRate;
            requestTimeoutMs = config.requestTimeoutMs;
            blockedThreadCheckIntervalMs = config.blockedThreadCheckIntervalMs;
            maxEventLoopExecuteTimeMs = config.maxEventLoopExecuteTimeMs;
            snapshotSigningKey = config.snapshotSigningKey;
            httpEventLoops = config.httpEventLoops;
            httpServer = config.httpServer;
            labelsToken = config.labelsToken;
        }

        ServingConfig build() {
            return new ServingConfig(httpHost, httpPort, maxBodyBytes, maxBatchInstances, modelsTopic,
                    bootstrapServers, kafkaProperties, keepVersions, pinsTopic, adminToken, predictionsTopic,
                    labelsTopic, logSampleRate, requestTimeoutMs, blockedThreadCheckIntervalMs,
                    maxEventLoopExecuteTimeMs, snapshotSigningKey, httpEventLoops, httpServer, labelsToken);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
