package io.streamlearn.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.kafka.CommittedRecordCounter;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import io.streamlearn.trainer.kafka.TrainerTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's baseline commits as the trainer does. Its outputs are readable as soon as its input goes quiet, not
 * at the commit interval: before, `bench` timed the pass-through until the next tick of the one-second exactly-once
 * interval, and the same work measured 81k or 150k events/s by where the tick fell.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PassThroughTopologyTest {

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path state;

    @Test
    void outputsAreReadableOnceTheInputGoesQuietNotAtTheCommitInterval() throws Exception {
        Dataset events = Dataset.read(BundledDatasets.electricityArff(), "electricity", null).limit(500);
        // Under exactly-once with a ten-minute interval only a commit of the processor's own makes outputs readable
        // within the test's time.
        Map<String, String> values = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "application.id", "pass-quiet", "processing.guarantee", "exactly_once_v2",
                "topic.events", "pass.events", "topic.labels", "pass.labels", "topic.predictions", "pass.out",
                "topic.dlq", "pass.dlq", "topic.models", "pass.models", "kafka.state.dir", state.toString()));
        values.putAll(Map.of("kafka.commit.interval.ms", "600000", "kafka.producer.transaction.timeout.ms", "900000"));
        TrainerConfig config = TrainerConfig.of(values);
        TrainerTopics.createMissing(config, 1, (short) 1);
        try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                config.eventsTopic(), config.labelsTopic(), "electricity", 0, 0))) {
            replayer.replay(events, () -> 1_700_000_000_000L);
        }
        Properties properties = TrainerTopology.streamsProperties(config);
        try (CommittedRecordCounter outputs = new CommittedRecordCounter(broker.bootstrapServers(),
                config.predictionsTopic());
                KafkaStreams streams = new KafkaStreams(PassThroughTopology.build(config.eventsTopic(),
                        config.predictionsTopic()), properties)) {
            streams.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> outputs.count() == 500);
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }
}
