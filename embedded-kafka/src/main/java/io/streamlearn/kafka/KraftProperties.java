package io.streamlearn.kafka;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The configuration of a single-node KRaft cluster whose one process is both broker and controller. Every internal
 * topic (consumer offsets, transaction state, share-group state) gets replication factor and min ISR 1, which one
 * node can satisfy; exactly-once Kafka Streams needs this for the transaction state topic.
 */
final class KraftProperties {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Internal topics default to 50 partitions; 5 keep start-up and first group joins fast on a small machine. */
    private static final String INTERNAL_TOPIC_PARTITIONS = "5";

    private KraftProperties() {
    }

    static Map<String, Object> of(int brokerPort, int controllerPort, Path dataDir) {
        return of(brokerPort, controllerPort, dataDir, Map.of());
    }

    /**
     * @param saslUsers when not empty, clients must authenticate with SASL/PLAIN as one of these users (name to
     *                  password) on the client listener, which then speaks {@code SASL_PLAINTEXT}; the broker talks
     *                  to itself as {@link #BROKER_USER}
     */
    static Map<String, Object> of(int brokerPort, int controllerPort, Path dataDir, Map<String, String> saslUsers) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + "," + CONTROLLER_LISTENER + "://localhost:"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.putAll(internalTopics());
        props.put("group.initial.rebalance.delay.ms", "0");
        // Kafka's default record limits (message.max.bytes ~1 MiB) on purpose: what a real or managed cluster enforces.
        // The cleaner's dedupe buffer defaults to 128 MiB, too much inside a test JVM; Kafka's own TestUtils use 2 MiB.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        // The cleaner looks for work every second instead of every 15: tests can watch compaction happen.
        props.put("log.cleaner.backoff.ms", "1000");
        if (!saslUsers.isEmpty()) {
            props.putAll(saslPlain(brokerPort, controllerPort, saslUsers));
        }
        return props;
    }

    static final String BROKER_USER = "broker";
    static final String BROKER_PASSWORD = "broker-secret";

    private static Map<String, String> saslPlain(int brokerPort, int controllerPort, Map<String, String> users) {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SASL_PLAINTEXT://localhost:" + brokerPort + "," + CONTROLLER_LISTENER
                + "://localhost:" + controllerPort);
        props.put("advertised.listeners", "SASL_PLAINTEXT://localhost:" + brokerPort);
        props.put("listener.security.protocol.map",
                "SASL_PLAINTEXT:SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
                .append(" username=\"").append(BROKER_USER).append("\" password=\"").append(BROKER_PASSWORD)
                .append("\" user_").append(BROKER_USER).append("=\"").append(BROKER_PASSWORD).append('"');
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
        return props;
    }

    /** The client settings that authenticate {@code user} with SASL/PLAIN. */
    static Map<String, String> saslPlainClient(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    private static Map<String, String> internalTopics() {
        Map<String, String> props = new HashMap<>();
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        return props;
    }
}
