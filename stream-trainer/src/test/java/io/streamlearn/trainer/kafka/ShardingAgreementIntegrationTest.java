package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one trainer application, one with {@code shard.enabled} and one without, on a broker: Kafka
 * Streams runs both on (its classic group protocol does not compare topologies) and the sharded models would stall;
 * the disagreement is found from the group's assignment and an instance stops with it as the reason.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ShardingAgreementIntegrationTest {

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path state;

    @Test
    void instancesThatDisagreeOnShardingStopWithTheReasonInsteadOfStallingTheShardedModels() {
        TrainerConfig sharded = config(true);
        TrainerConfig unsharded = config(false);
        TrainerTopics.createMissing(sharded, 2, (short) 1);
        var models = List.of(TestModels.definition("bayes.NaiveBayes"));
        // Closed in reverse: the sharded instance leaves the group first, which lets the other's close end at once
        // instead of waiting out its timeout in a rebalance the two topologies cannot settle.
        try (TrainerApplication second = TrainerApplication.start(unsharded, models, new SimpleMeterRegistry());
                TrainerApplication first = TrainerApplication.start(sharded, models, new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> reason(first, second).isPresent());

            assertThat(reason(first, second).orElseThrow()).contains("shard.enabled", "every instance of an "
                    + "application must set the same shard.enabled");
            assertThat(Stream.of(first, second).filter(trainer -> trainer.failure().reason().isPresent()))
                    .as("a stopped instance").allMatch(trainer -> !trainer.isAlive());
        }
    }

    private static Optional<String> reason(TrainerApplication first, TrainerApplication second) {
        return first.failure().reason().or(() -> second.failure().reason());
    }

    private TrainerConfig config(boolean sharding) {
        Map<String, String> values = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "application.id", "disagreeing", "topic.events", "dis.events", "topic.labels", "dis.labels",
                "topic.predictions", "dis.predictions", "topic.dlq", "dis.dlq", "topic.models", "dis.models",
                "kafka.state.dir", state.resolve(Boolean.toString(sharding)).toString()));
        values.put("shard.enabled", Boolean.toString(sharding));
        return TrainerConfig.of(values);
    }
}
