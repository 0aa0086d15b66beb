package io.streamlearn.core.config;

import static io.streamlearn.core.config.Service.MONITOR;
import static io.streamlearn.core.config.Service.REPLAY;
import static io.streamlearn.core.config.Service.RETRAIN;
import static io.streamlearn.core.config.Service.SERVE;
import static io.streamlearn.core.config.Service.TRAIN;

import io.streamlearn.core.topic.Topic;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Keys more than one service reads: the cluster, the topics, how snapshots travel and are signed. */
final class SharedKeys {

    private SharedKeys() {
    }

    static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(List.of(
                ConfigKey.of("bootstrap.servers", "string", "localhost:9092", "the Kafka cluster (`--bootstrap-servers`)",
                        TRAIN, SERVE, MONITOR, RETRAIN, REPLAY),
                ConfigKey.of("kafka.*", "string", null, "passed unchanged to every Kafka client of the service "
                        + "(Streams, consumers, producers, admin), prefix removed, e.g. `kafka.security.protocol`",
                        TRAIN, SERVE, MONITOR, RETRAIN, REPLAY),
                ConfigKey.of("http.port", "int", "8080 (serve, train), 8082 (monitor), 8083 (retrain)",
                        "port of the service's HTTP routes, 0 for a free one (`--port`)", TRAIN, SERVE, MONITOR, RETRAIN),
                ConfigKey.of("processing.guarantee", "string", "exactly_once_v2",
                        "Kafka Streams guarantee: `exactly_once_v2` or `at_least_once`", TRAIN, MONITOR),
                ConfigKey.of("max.record.bytes", "int", 1000000,
                        "larger records are dead-lettered (train) or skipped (monitor) as oversized", TRAIN, MONITOR),
                ConfigKey.of("snapshot.signing.key", "string (secret)", null, "HMAC-SHA256 key (at least 32 bytes) "
                        + "that signs every snapshot; readers use only snapshots signed with it", TRAIN, SERVE, MONITOR,
                        RETRAIN),
                ConfigKey.of("snapshot.chunk.bytes", "int", 524288, "largest chunk of a model (compressed) in one "
                        + "Kafka record; with its overhead it must fit the producer's `max.request.size`", TRAIN,
                        MONITOR, RETRAIN),
                ConfigKey.of("snapshot.max.bytes", "long", 1073741824, "largest model a reader assembles; a manifest "
                        + "claiming more is refused", TRAIN, SERVE, MONITOR, RETRAIN),
                ConfigKey.of("admin.token", "string (secret)", null, "bearer token of the admin routes (pin, "
                        + "rollback, retrain); unset, they answer 403", SERVE, TRAIN, RETRAIN)));
        for (Topic topic : Topic.values()) {
            keys.add(new ConfigKey(topic.key(), "topic", topic.defaultName(), topic.meaning(), readers(topic)));
        }
        return keys;
    }

    /** Which services read (or write) each topic's name. */
    private static Set<Service> readers(Topic topic) {
        return switch (topic) {
            case EVENTS -> EnumSet.of(TRAIN, SERVE, MONITOR, RETRAIN, REPLAY);
            case LABELS -> EnumSet.of(TRAIN, SERVE, MONITOR, RETRAIN, REPLAY);
            case MODELS -> EnumSet.of(TRAIN, SERVE, MONITOR, RETRAIN);
            case PREDICTIONS -> EnumSet.of(TRAIN, SERVE, MONITOR, RETRAIN);
            case DEAD_LETTERS, ANOMALIES, SHARD_STEPS, SHARD_VOTES, SHARD_SUMS -> EnumSet.of(TRAIN);
            case DRIFT_ALERTS -> EnumSet.of(MONITOR);
            case RETRAIN_REQUESTS, DRIFT_REFERENCES -> EnumSet.of(MONITOR, RETRAIN);
            case TRAINING_RUNS -> EnumSet.of(RETRAIN);
            case PINS -> EnumSet.of(TRAIN, SERVE, RETRAIN);
            case DEFINITIONS -> EnumSet.of(TRAIN, SERVE, MONITOR, RETRAIN);
        };
    }
}
