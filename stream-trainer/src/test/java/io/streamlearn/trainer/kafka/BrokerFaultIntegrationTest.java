package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.kafka.CommittedRecordCounter;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away mid-stream and comes back on the same data directory: the running trainer carries on by itself,
 * with exactly one committed prediction per event and the final model of an uninterrupted run.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class BrokerFaultIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEARNER = "trees.HoeffdingTree -g 50";
    private static final int EVENTS = 20_000;
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @Test
    void trainerRecoversFromABrokerRestartMidStreamWithoutLosingOrDuplicatingEvents() throws Exception {
        TrainerConfig uninterrupted = config("straight", stateDir.resolve("a"));
        produceEvents(uninterrupted);
        try (TrainerApplication trainer = start(uninterrupted)) {
            awaitSnapshotCovering(uninterrupted);
        }

        TrainerConfig faulted = config("faulted", stateDir.resolve("b"));
        produceEvents(faulted);
        try (CommittedRecordCounter predicted = new CommittedRecordCounter(broker.bootstrapServers(),
                faulted.predictionsTopic()); TrainerApplication trainer = start(faulted)) {
            // A consumer polling all the time sees the count within milliseconds, so the stop lands early in the stream.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                    .until(() -> predicted.count() >= EVENTS / 10);
            long mark = predicted.count();
            // stop() waits for the broker's shutdown, which drops every connection; restart() replays its log.
            broker.stop();
            assertThat(trainer.isAlive()).as("trainer alive while the broker is down").isTrue();
            broker.restart();
            assertThat(mark).as("stopped mid-stream").isLessThan(EVENTS);

            awaitSnapshotCovering(faulted);
            // Back to RUNNING, not dead: a rebalance after the broker's return may still be finishing at this point
            // (the trainer's group reads five topics over two sub-topologies).
            await().atMost(Duration.ofSeconds(60)).until(() -> trainer.state() == KafkaStreams.State.RUNNING);
        }

        Map<String, Integer> perId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : committed(faulted.predictionsTopic())) {
            perId.merge(JSON.readTree(record.value()).get("id").asText(), 1, Integer::sum);
        }
        assertThat(perId).as("one prediction per event").hasSize(EVENTS);
        assertThat(perId.values()).containsOnly(1);

        ModelSnapshot straight = lastSnapshot(uninterrupted);
        ModelSnapshot recovered = lastSnapshot(faulted);
        assertThat(recovered.metadata().eventsSeen()).isEqualTo(straight.metadata().eventsSeen()).isEqualTo(EVENTS);
        assertThat(recovered.metadata().labelsLearned()).isEqualTo(straight.metadata().labelsLearned());
        assertThat(recovered.metadata().evaluation()).isEqualTo(straight.metadata().evaluation());
        assertThat(recovered.learnerState()).isEqualTo(straight.learnerState());
    }

    private static TrainerApplication start(TrainerConfig config) {
        return TrainerApplication.start(config, List.of(TestModels.definition(LEARNER)), new SimpleMeterRegistry());
    }

    private static void awaitSnapshotCovering(TrainerConfig config) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            ModelSnapshot last = lastSnapshot(config);
            return last != null && last.metadata().eventsSeen() == EVENTS;
        });
    }

    private static ModelSnapshot lastSnapshot(TrainerConfig config) {
        List<byte[]> snapshots = ChunkReassembler.completeValues(committed(config.modelsTopic()),
                ConsumerRecord::key, ConsumerRecord::value);
        return snapshots.isEmpty() ? null : ModelSnapshotCodec.decode(snapshots.get(snapshots.size() - 1));
    }

    private static List<ConsumerRecord<String, byte[]>> committed(String topic) {
        return CommittedRecords.readAll(broker.bootstrapServers(), topic);
    }

    private static TrainerConfig config(String name, Path state) {
        return TrainerConfig.of(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "broker-fault-" + name,
                "topic.events", name + ".events",
                "topic.labels", name + ".labels",
                "topic.predictions", name + ".predictions",
                "topic.dlq", name + ".dlq",
                "topic.models", name + ".models",
                "snapshot.interval.ms", "500",
                "checkpoint.interval.records", "700",
                "kafka.state.dir", state.toString()));
    }

    private static void produceEvents(TrainerConfig config) {
        TrainerTopics.createMissing(config, 1, (short) 1);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                producer.send(new ProducerRecord<>(config.eventsTopic(), TestModels.MODEL,
                        TestModels.event(i, true).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
