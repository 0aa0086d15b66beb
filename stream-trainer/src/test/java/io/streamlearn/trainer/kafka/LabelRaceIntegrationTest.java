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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labels racing their events through a real broker. Kafka orders records within one partition only: the trainer's
 * task reads whichever of {@code events} and {@code labels} it has fetched, and with {@code max.task.idle.ms=0} it
 * takes a partition whose last fetch said "caught up" as empty, so a label can be read before its event however the
 * producers ordered them (docs/learning.md, "Labels that arrive before their events").
 */
class LabelRaceIntegrationTest {

    private static final int EVENTS = 3000;
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

    /**
     * The labels' producer is ahead of the events' producer (every label is on the broker, with an earlier timestamp,
     * before its event), and another transactional client sits on an open transaction, as the retrainer's idle producer
     * did when the demo lost ~42k of 45k labels as {@code unknown_id}. Every label must still be learned.
     */
    @Test
    void labelsPublishedBeforeTheirEventsAreHeldAndLearnedWhenTheEventsCome() throws Exception {
        TrainerConfig config = config("race");
        TopicSetup.createMissing(config, 1, (short) 1);
        broker.createTopic("race.unrelated", 1, Map.of());
        try (KafkaProducer<String, byte[]> idle = transactionalProducer()) {
            idle.initTransactions();
            idle.beginTransaction();
            idle.send(new ProducerRecord<>("race.unrelated", "k", bytes("left open")));
            idle.flush();
            try (KafkaProducer<String, byte[]> labels = producer()) {
                for (int i = 0; i < EVENTS; i++) {
                    labels.send(new ProducerRecord<>(config.labelsTopic(), TestModels.MODEL, bytes(TestModels.labelOf(i))));
                }
            }
            try (KafkaProducer<String, byte[]> events = producer()) {
                for (int i = 0; i < EVENTS; i++) {
                    events.send(new ProducerRecord<>(config.eventsTopic(), TestModels.MODEL,
                            bytes(TestModels.event(i, false))));
                }
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (TrainerApplication trainer = TrainerApplication.start(config,
                    List.of(TestModels.definition("bayes.NaiveBayes")), registry)) {
                // Every label ends up learned or dead-lettered; wait for that, then say which.
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> lastSnapshot(config) != null && lastSnapshot(config).eventsSeen() == EVENTS
                                && lastSnapshot(config).labelsLearned() + deadLetters(config) == EVENTS);

                assertThat(deadLetters(config)).as("labels dead-lettered as unknown_id").isZero();
                assertThat(lastSnapshot(config).labelsLearned()).isEqualTo(EVENTS);
                assertThat(lastSnapshot(config).evaluation().instances()).isEqualTo(EVENTS);
                assertThat(registry.get("streamlearn.train.labels").tag("outcome", "held").counter().count())
                        .as("the labels were read before their events").isPositive();
            }
            idle.abortTransaction();
        }
    }

    private TrainerConfig config(String name) {
        return TrainerConfig.of(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "trainer-" + name,
                "topic.events", name + ".events",
                "topic.labels", name + ".labels",
                "topic.predictions", name + ".predictions",
                "topic.dlq", name + ".dlq",
                "topic.models", name + ".models",
                "snapshot.interval.ms", "300",
                "kafka.state.dir", stateDir.toString()));
    }

    private static int deadLetters(TrainerConfig config) {
        return CommittedRecords.readAll(broker.bootstrapServers(), config.deadLetterTopic()).size();
    }

    private ModelMetadata lastSnapshot(TrainerConfig config) {
        var snapshots = CommittedRecords.readAll(broker.bootstrapServers(), config.modelsTopic());
        return snapshots.isEmpty() ? null
                : ModelSnapshotCodec.decodeMetadata(snapshots.get(snapshots.size() - 1).value());
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaProducer<String, byte[]> transactionalProducer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "label-race-bystander");
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
