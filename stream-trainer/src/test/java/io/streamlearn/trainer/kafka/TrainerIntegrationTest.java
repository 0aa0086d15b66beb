package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer on a real KRaft broker with exactly-once Kafka Streams. */
class TrainerIntegrationTest {

    private static final String LEARNER = "trees.HoeffdingTree -g 50";
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void cleanRestartMidStreamEndsWithTheModelOfAnUninterruptedRun() throws Exception {
        TrainerConfig uninterrupted = config("straight", stateDir.resolve("a"));
        produceEvents(uninterrupted, 0, 4000);
        try (TrainerApplication trainer = start(uninterrupted)) {
            awaitSnapshotCovering(uninterrupted, 4000);
        }

        TrainerConfig restarted = config("restarted", stateDir.resolve("b"));
        produceEvents(restarted, 0, 2000);
        try (TrainerApplication trainer = start(restarted)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> CommittedRecords.readAll(broker.bootstrapServers(), restarted.predictionsTopic()).size() >= 2000);
        }
        produceEvents(restarted, 2000, 4000);
        try (TrainerApplication trainer = start(restarted)) {
            awaitSnapshotCovering(restarted, 4000);
        }

        List<ConsumerRecord<String, byte[]>> predictions =
                CommittedRecords.readAll(broker.bootstrapServers(), restarted.predictionsTopic());
        Set<String> ids = new HashSet<>();
        predictions.forEach(r -> ids.add(new String(r.value(), StandardCharsets.UTF_8).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")));
        assertThat(predictions).as("exactly one prediction per event").hasSize(4000);
        assertThat(ids).hasSize(4000);

        ModelMetadata straight = lastSnapshot(uninterrupted);
        ModelMetadata afterRestart = lastSnapshot(restarted);
        assertThat(afterRestart.eventsSeen()).isEqualTo(straight.eventsSeen());
        assertThat(afterRestart.labelsLearned()).isEqualTo(straight.labelsLearned());
        assertThat(afterRestart.evaluation()).isEqualTo(straight.evaluation());
        assertThat(learnerState(restarted)).isEqualTo(learnerState(uninterrupted));
    }

    private TrainerApplication start(TrainerConfig config) {
        TopicSetup.createMissing(config, 1, (short) 1);
        return TrainerApplication.start(config, List.of(TestModels.definition(LEARNER)), new SimpleMeterRegistry());
    }

    private void awaitSnapshotCovering(TrainerConfig config, long events) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    var snapshots = CommittedRecords.readAll(broker.bootstrapServers(), config.modelsTopic());
                    return !snapshots.isEmpty() && lastSnapshot(config).eventsSeen() == events;
                });
    }

    private ModelMetadata lastSnapshot(TrainerConfig config) {
        var snapshots = CommittedRecords.readAll(broker.bootstrapServers(), config.modelsTopic());
        return ModelSnapshotCodec.decodeMetadata(snapshots.get(snapshots.size() - 1).value());
    }

    private byte[] learnerState(TrainerConfig config) {
        var snapshots = CommittedRecords.readAll(broker.bootstrapServers(), config.modelsTopic());
        return ModelSnapshotCodec.decode(snapshots.get(snapshots.size() - 1).value()).learnerState();
    }

    private TrainerConfig config(String name, Path state) {
        return TrainerConfig.of(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "trainer-" + name,
                "topic.events", name + ".events",
                "topic.labels", name + ".labels",
                "topic.predictions", name + ".predictions",
                "topic.dlq", name + ".dlq",
                "topic.models", name + ".models",
                "snapshot.interval.ms", "500",
                "checkpoint.interval.records", "700",
                "kafka.state.dir", state.toString()));
    }

    private void produceEvents(TrainerConfig config, int from, int to) {
        TopicSetup.createMissing(config, 1, (short) 1);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(config.eventsTopic(), TestModels.MODEL,
                        TestModels.event(i, true).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }
}
