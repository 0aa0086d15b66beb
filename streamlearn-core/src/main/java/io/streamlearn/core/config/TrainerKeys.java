package io.streamlearn.core.config;

import static io.streamlearn.core.config.Service.TRAIN;

import java.util.List;

/** Keys of the stream trainer (docs/configuration.md; docs/learning.md). */
final class TrainerKeys {

    private TrainerKeys() {
    }

    static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.of("application.id", "string", "streamlearn-trainer",
                        "Kafka Streams application id (consumer group, state directory, transactional ids)", TRAIN),
                ConfigKey.of("snapshot.interval.ms", "long", 10000, "how often a changed model is published to the "
                        + "models topic (at least 100)", TRAIN),
                ConfigKey.of("checkpoint.interval.records", "int", 10000,
                        "journal steps between full checkpoints while they are cheap", TRAIN),
                ConfigKey.of("checkpoint.max.records", "int", 500000,
                        "most journal steps between checkpoints however costly (bounds recovery replay)", TRAIN),
                ConfigKey.of("checkpoint.cost.fraction", "double", 0.1,
                        "largest share of the stream thread's time that checkpoints may take", TRAIN),
                ConfigKey.of("snapshot.cost.fraction", "double", 0.2,
                        "largest share of the stream thread's time that publishing snapshots may take", TRAIN),
                ConfigKey.of("label.ttl.ms", "long", 86400000, "how long an unlabelled event waits for its label",
                        TRAIN),
                ConfigKey.of("label.hold.ms", "long", 300000,
                        "how long a label read before its event waits for it (stream time)", TRAIN),
                ConfigKey.of("label.hold.max", "long", 100000, "labels held per task at most; 0 holds none", TRAIN),
                ConfigKey.of("label.hold.max.bytes", "long", 67108864,
                        "bytes of held labels per task; over it the oldest are dead-lettered", TRAIN),
                ConfigKey.of("shard.enabled", "boolean", false, "train sharded models (docs/sharding.md): reads the "
                        + "shard topics; off, a sharded definition is refused and no task reads an always-empty sums "
                        + "partition beside `events`", TRAIN),
                ConfigKey.of("shard.votes.partitions", "int", null, "partitions of the shard-votes topic when the "
                        + "trainer creates it, the vote stage's tasks; unset, as many as `events`", TRAIN),
                ConfigKey.of("evaluation.window", "int", 1000, "size of the sliding evaluation window", TRAIN),
                ConfigKey.of("evaluation.fading.factor", "double", 0.999,
                        "α of the fading-factor prequential figures", TRAIN),
                ConfigKey.of("anomaly.threshold", "double", null,
                        "a fixed score over which an anomaly model alerts; unset, `anomaly.rate` decides", TRAIN),
                ConfigKey.of("anomaly.rate", "double", 0.01, "share of the highest recent scores that alert", TRAIN),
                ConfigKey.of("anomaly.<model>.threshold", "double", null, "`anomaly.threshold` for one model", TRAIN),
                ConfigKey.of("anomaly.<model>.rate", "double", null, "`anomaly.rate` for one model", TRAIN));
    }
}
