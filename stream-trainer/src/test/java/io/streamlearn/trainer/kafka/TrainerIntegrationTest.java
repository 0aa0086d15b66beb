package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer on a real KRaft broker with exactly-once Kafka Streams. Kafka orders records within one partition only:
 * the trainer's task reads whichever of {@code events} and {@code labels} it has fetched, so a label can be read
 * before its event however the producers ordered them (docs/learning.md, "Labels that arrive before their events").
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TrainerIntegrationTest {

    private static final String LEARNER = "trees.HoeffdingTree -g 50";
    private static final int RACED = 3000;
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

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

    /**
     * The labels' producer is ahead of the events' producer (every label is on the broker, with an earlier timestamp,
     * before its event), and another transactional client sits on an open transaction, as the retrainer's idle producer
     * did when the demo lost ~42k of 45k labels as {@code unknown_id}. Every label must still be learned.
     */
    @Test
    void labelsPublishedBeforeTheirEventsAreHeldAndLearnedWhenTheEventsCome() throws Exception {
        TrainerConfig config = config("race", stateDir.resolve("race"));
        TrainerTopics.createMissing(config, 1, (short) 1);
        broker.createTopic("race.unrelated", 1, Map.of());
        try (KafkaProducer<String, byte[]> idle = transactionalProducer()) {
            idle.initTransactions();
            idle.beginTransaction();
            idle.send(new ProducerRecord<>("race.unrelated", "k", bytes("left open")));
            idle.flush();
            try (KafkaProducer<String, byte[]> labels = producer()) {
                for (int i = 0; i < RACED; i++) {
                    labels.send(new ProducerRecord<>(config.labelsTopic(), TestModels.MODEL, bytes(TestModels.labelOf(i))));
                }
            }
            try (KafkaProducer<String, byte[]> events = producer()) {
                for (int i = 0; i < RACED; i++) {
                    events.send(new ProducerRecord<>(config.eventsTopic(), TestModels.MODEL,
                            bytes(TestModels.event(i, false))));
                }
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (TrainerApplication trainer = TrainerApplication.start(config,
                    List.of(TestModels.definition("bayes.NaiveBayes")), registry)) {
                // Every label ends up learned or dead-lettered; wait for that, then say which.
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> !CommittedRecords.readAll(broker.bootstrapServers(), config.modelsTopic()).isEmpty()
                                && lastSnapshot(config).eventsSeen() == RACED
                                && lastSnapshot(config).labelsLearned() + deadLetters(config) == RACED);

                assertThat(deadLetters(config)).as("labels dead-lettered as unknown_id").isZero();
                assertThat(lastSnapshot(config).labelsLearned()).isEqualTo(RACED);
                assertThat(lastSnapshot(config).evaluation().instances()).isEqualTo(RACED);
                assertThat(registry.get("streamlearn.train.labels").tag("outcome", "held").counter().count())
                        .as("the labels were read before their events").isPositive();
            }
            idle.abortTransaction();
        }
    }

    private TrainerApplication start(TrainerConfig config) {
        TrainerTopics.createMissing(config, 1, (short) 1);
        return TrainerApplication.start(config, List.of(TestModels.definition(LEARNER)), new SimpleMeterRegistry());
    }

    @Test
    void heldLabelsSurviveARestartThatLosesTheLocalState() throws Exception {
        TrainerConfig before = config("held", stateDir.resolve("held-before"));
        TrainerTopics.createMissing(before, 1, (short) 1);
        try (KafkaProducer<String, byte[]> labels = producer()) {
            for (int i = 0; i < 500; i++) {
                labels.send(new ProducerRecord<>(before.labelsTopic(), TestModels.MODEL, bytes(TestModels.labelOf(i))));
            }
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TrainerApplication trainer = TrainerApplication.start(before,
                List.of(TestModels.definition("bayes.NaiveBayes")), registry)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var held = registry.find("streamlearn.train.labels").tag("outcome", "held").counter();
                return held != null && held.count() == 500;
            });
        }
        // A new state directory: the held labels can only come back from the changelog.
        TrainerConfig after = config("held", stateDir.resolve("held-after"));
        try (KafkaProducer<String, byte[]> events = producer()) {
            for (int i = 0; i < 500; i++) {
                events.send(new ProducerRecord<>(after.eventsTopic(), TestModels.MODEL, bytes(TestModels.event(i, false))));
            }
        }
        try (TrainerApplication trainer = TrainerApplication.start(after,
                List.of(TestModels.definition("bayes.NaiveBayes")), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !CommittedRecords.readAll(broker.bootstrapServers(), after.modelsTopic()).isEmpty()
                            && lastSnapshot(after).eventsSeen() == 500);
            assertThat(lastSnapshot(after).labelsLearned()).isEqualTo(500);
            assertThat(deadLetters(after)).isZero();
        }
    }

    @Test
    void commitsAsSoonAsTheInputGoesQuietNotAtTheCommitInterval() throws Exception {
        Map<String, String> values = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "application.id", "trainer-quiet", "topic.events", "quiet.events", "topic.labels", "quiet.labels",
                "topic.predictions", "quiet.predictions", "topic.dlq", "quiet.dlq", "topic.models", "quiet.models",
                "kafka.state.dir", stateDir.resolve("quiet").toString()));
        // Neither the commit interval nor a snapshot commits within the test's time (a transaction may stay open that
        // long: the broker's transaction.max.timeout.ms is 15 minutes).
        values.putAll(Map.of("kafka.commit.interval.ms", "600000", "snapshot.interval.ms", "600000",
                "kafka.producer.transaction.timeout.ms", "900000"));
        TrainerConfig config = TrainerConfig.of(values);
        produceEvents(config, 0, 1000);
        try (TrainerApplication trainer = start(config)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    CommittedRecords.readAll(broker.bootstrapServers(), config.predictionsTopic()).size() == 1000);
        }
    }

    /**
     * A model of 3,000 dense numeric features: one journal step is ~24 KB, a block of 64 steps ~1.5 MB, more than a
     * Kafka record may hold. The journal is paged, so the trainer learns every event, survives a restart mid-block
     * and ends with the model of an uninterrupted run.
     */
    @Test
    void aModelOfThreeThousandFeaturesJournalsWithinKafkasRecordLimitAndRestartsExactly() throws Exception {
        List<FeatureSpec> features = new ArrayList<>();
        for (int f = 0; f < 3000; f++) {
            features.add(FeatureSpec.numeric("f" + f));
        }
        ModelDefinition wide = new ModelDefinition(new FeatureSchema("wide", FeatureSpec.nominal("y",
                List.of("a", "b")), features), "bayes.NaiveBayes");
        TrainerConfig uninterrupted = config("wide-straight", stateDir.resolve("ws"));
        TrainerConfig restarted = config("wide-restart", stateDir.resolve("wr"));
        produceWide(uninterrupted, 0, 300);
        try (TrainerApplication trainer = TrainerApplication.start(uninterrupted, List.of(wide),
                new SimpleMeterRegistry())) {
            awaitSnapshotCovering(uninterrupted, 300);
        }
        produceWide(restarted, 0, 150);
        try (TrainerApplication trainer = TrainerApplication.start(restarted, List.of(wide),
                new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> CommittedRecords.readAll(broker.bootstrapServers(),
                    restarted.predictionsTopic()).size() >= 150);
            assertThat(trainer.isAlive()).isTrue();
        }
        produceWide(restarted, 150, 300);
        try (TrainerApplication trainer = TrainerApplication.start(restarted, List.of(wide),
                new SimpleMeterRegistry())) {
            awaitSnapshotCovering(restarted, 300);
        }

        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), restarted.predictionsTopic())).hasSize(300);
        assertThat(lastSnapshot(restarted).evaluation()).isEqualTo(lastSnapshot(uninterrupted).evaluation());
        assertThat(learnerState(restarted)).isEqualTo(learnerState(uninterrupted));
    }

    private void produceWide(TrainerConfig config, int from, int to) {
        TrainerTopics.createMissing(config, 1, (short) 1);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = from; i < to; i++) {
                Random random = new Random(i);
                StringBuilder event = new StringBuilder("{\"id\":\"w" + i + "\",\"features\":{");
                for (int f = 0; f < 3000; f++) {
                    event.append(f == 0 ? "" : ",").append("\"f").append(f).append("\":")
                            .append(String.format(Locale.ROOT, "%.5f", random.nextGaussian()));
                }
                event.append("},\"label\":\"").append(random.nextBoolean() ? "a" : "b").append("\"}");
                producer.send(new ProducerRecord<>(config.eventsTopic(), "wide", bytes(event.toString())));
            }
        }
    }

    private static int deadLetters(TrainerConfig config) {
        return CommittedRecords.readAll(broker.bootstrapServers(), config.deadLetterTopic()).size();
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
        List<byte[]> snapshots = ChunkReassembler.completeValues(
                CommittedRecords.readAll(broker.bootstrapServers(), config.modelsTopic()),
                org.apache.kafka.clients.consumer.ConsumerRecord::key,
                org.apache.kafka.clients.consumer.ConsumerRecord::value);
        return ModelSnapshotCodec.decode(snapshots.get(snapshots.size() - 1)).learnerState();
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
        TrainerTopics.createMissing(config, 1, (short) 1);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(config.eventsTopic(), TestModels.MODEL, bytes(TestModels.event(i, true))));
            }
        }
    }
}
