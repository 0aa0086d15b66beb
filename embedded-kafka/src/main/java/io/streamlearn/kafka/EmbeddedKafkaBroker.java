package io.streamlearn.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka cluster in KRaft mode (one process, roles {@code broker,controller}) running inside this JVM,
 * for tests and local demos: no Docker, no downloads, ready in a few seconds. Internal topics have replication factor
 * and min ISR 1, so transactions and exactly-once Kafka Streams work on it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<String, String> saslUsers;
    private KafkaRaftServer server;
    private Admin admin;

    private EmbeddedKafkaBroker(int port, int controllerPort, Path dataDir, boolean ownsDataDir,
            Map<String, String> saslUsers) {
        this.saslUsers = Map.copyOf(saslUsers);
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
    }

    /**
     * @param port    the client port, or 0 for a free one
     * @param dataDir the log directory, or {@code null} for a fresh temporary one deleted on {@link #close()}; a
     *                directory formatted by an earlier broker is reused with its data
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, Map.of());
    }

    /**
     * A broker whose client listener requires SASL/PLAIN authentication ({@code SASL_PLAINTEXT}) as one of
     * {@code users} (name to password); {@link #clientProperties(String, String)} gives a client's settings.
     */
    public static EmbeddedKafkaBroker startWithSaslPlain(Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a SASL broker needs at least one user");
        }
        return start(0, null, users);
    }

    /** The settings a client needs to authenticate to this broker as {@code user}; none for a broker without SASL. */
    public Map<String, String> clientProperties(String user, String password) {
        return saslUsers.isEmpty() ? Map.of() : KraftProperties.saslPlainClient(user, password);
    }

    private static EmbeddedKafkaBroker start(int port, Path dataDir, Map<String, String> saslUsers) {
        boolean ownsDataDir = dataDir == null;
        Path dir;
        try {
            dir = ownsDataDir ? Files.createTempDirectory("embedded-kafka-") : Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data directory", e);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(port == 0 ? freePort() : port, freePort(), dir,
                ownsDataDir, saslUsers);
        try {
            broker.startServer();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public static EmbeddedKafkaBroker start() {
        return start(0, null);
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Creates the topics with replication factor 1; topics that already exist are left as they are. */
    public void createTopics(Map<String, Integer> partitionsByTopic, Map<String, String> topicConfig) {
        Map<String, String> configs = topicConfig == null ? Map.of() : topicConfig;
        List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), (short) 1).configs(configs))
                .toList();
        for (KafkaFuture<Void> created : admin().createTopics(topics).values().values()) {
            try {
                await(created);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("topic creation failed: " + e.getCause().getMessage(), e);
                }
            }
        }
        awaitLeaders(partitionsByTopic.keySet());
    }

    public void createTopic(String name, int partitions, Map<String, String> topicConfig) {
        createTopics(Map.of(name, partitions), topicConfig);
    }

    /** Shuts the broker down and keeps its data directory, so that {@link #restart()} finds the same data. */
    public synchronized void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /**
     * Starts the broker again on the same port and data directory (stopping it first if it runs), and returns once
     * the leader of every partition it holds serves it again: a producer that writes in the moment between the
     * metadata naming a leader and that leader serving gets NOT_LEADER_OR_FOLLOWER on its first batch while later
     * pipelined batches land, and then retries the first for ever with OUT_OF_ORDER_SEQUENCE_NUMBER (seen on CI).
     */
    public synchronized void restart() {
        stop();
        startServer();
        try {
            awaitLeaders(await(admin().listTopics(new ListTopicsOptions().listInternal(true)).names()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("the restarted broker cannot list its topics", e.getCause());
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    private synchronized void startServer() {
        KafkaConfig config = new KafkaConfig(KraftProperties.of(port, controllerPort, dataDir, saslUsers), false);
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            format(config);
        }
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
    }

    /** What {@code kafka-storage.sh format} does: writes {@code meta.properties} and the bootstrap metadata. */
    private static void format(KafkaConfig config) {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(KraftProperties.NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(config.logDirs())
                .setMetadataLogDirectory(config.metadataLogDir())
                .setControllerListenerName(KraftProperties.CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.latestProduction());
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the broker's data directory " + config.logDirs(), e);
        }
    }

    private synchronized Admin admin() {
        if (server == null) {
            throw new IllegalStateException("the broker is stopped");
        }
        if (admin == null) {
            Map<String, Object> properties = new HashMap<>(
                    clientProperties(KraftProperties.BROKER_USER, KraftProperties.BROKER_PASSWORD));
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            admin = Admin.create(properties);
        }
        return admin;
    }

    /**
     * Topic creation returns once the controller has it; clients need every partition to have a leader that serves
     * it (ListOffsets is answered by the leader itself; metadata can name a leader a moment earlier).
     */
    private void awaitLeaders(Set<String> topics) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = await(admin().describeTopics(topics).allTopicNames());
                if (descriptions.values().stream().allMatch(EmbeddedKafkaBroker::hasLeaders)) {
                    Map<TopicPartition, OffsetSpec> partitions = new java.util.HashMap<>();
                    descriptions.values().forEach(topic -> topic.partitions().forEach(p -> partitions.put(
                            new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
                    await(admin().listOffsets(partitions).all());
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)) {
                    throw new IllegalStateException("cannot describe topics " + topics, e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + topics + " have no leaders after " + TIMEOUT);
            }
            pause();
        }
    }

    private static boolean hasLeaders(TopicDescription topic) {
        return topic.partitions().stream().allMatch(p -> p.leader() != null && p.leader().id() >= 0);
    }

    private static <T> T await(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + TIMEOUT, e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the broker's data directory " + root, e);
        }
    }
}
