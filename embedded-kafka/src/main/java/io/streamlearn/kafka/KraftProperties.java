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
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    /** Internal topics default to 50 partitions; 5 keep start-up and first group joins fast on a small machine. */
    private static final String INTERNAL_TOPIC_PARTITIONS = "5";

    private KraftProperties() {
    }

    static Map<String, Object> of(int brokerPort, int controllerPort, Path dataDir) {
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
        props.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        props.put("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        // The cleaner's dedupe buffer defaults to 128 MiB, too much inside a test JVM; Kafka's own TestUtils use 2 MiB.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        return props;
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
