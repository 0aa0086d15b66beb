package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed corpus of bad records ({@code dead-letter-corpus.jsonl}: each line names the reason it must be
 * refused with) interleaved with good events, through the real trainer on a real broker.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class DeadLetterIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    /** Below the trainer's default, so the oversized records stay small enough for the broker's default limits. */
    private static final int MAX_RECORD_BYTES = 64 * 1024;

    record BadRecord(String topic, String key, byte[] value, String reason) {
    }

    @Test
    void everyBadRecordLandsInTheDeadLetterTopicWithItsReasonAndEveryGoodOneIsLearned() throws Exception {
        TrainerConfig config = TrainerConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "application.id", "dlq-test", "snapshot.interval.ms", "300", "kafka.state.dir", stateDir.toString(),
                "label.hold.ms", "1", "max.record.bytes", Integer.toString(MAX_RECORD_BYTES)));
        TrainerTopics.createMissing(config, 1, (short) 1);
        List<BadRecord> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(50);

        int good = 0;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("events", TestModels.MODEL, bytes(
                    "{\"id\":\"wait-5\",\"features\":{\"x\":0.5,\"color\":\"red\"}}")));
            for (BadRecord bad : corpus) {
                producer.send(new ProducerRecord<>(bad.topic(), bad.key(), bad.value()));
                producer.send(new ProducerRecord<>("events", TestModels.MODEL, bytes(TestModels.event(good++, true))));
            }
            // Stream time past the hold of the corpus' label for an id never produced, so it is refused.
            producer.send(new ProducerRecord<>("events", null, System.currentTimeMillis() + 10_000, TestModels.MODEL,
                    bytes(TestModels.event(good++, true))));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TrainerApplication trainer = TrainerApplication.start(config, List.of(TestModels.definition("bayes.NaiveBayes")),
                registry)) {
            int expectedPredictions = good + 1;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                    CommittedRecords.readAll(broker.bootstrapServers(), "events.dlq").size() == corpus.size()
                    && CommittedRecords.readAll(broker.bootstrapServers(), "predictions").size() == expectedPredictions
                    && lastSnapshot() != null && lastSnapshot().eventsSeen() == expectedPredictions);

            List<ConsumerRecord<String, byte[]>> deadLetters = CommittedRecords.readAll(broker.bootstrapServers(),
                    "events.dlq");
            assertThat(reasonsByValue(deadLetters)).containsExactlyInAnyOrderEntriesOf(expectedReasons(corpus));
            assertThat(deadLetters).filteredOn(record -> record.headers().lastHeader("original.bytes") != null)
                    .extracting(record -> new String(record.headers().lastHeader("original.bytes").value(),
                            StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrderElementsOf(corpus.stream().filter(bad -> bad.value().length
                            > MAX_RECORD_BYTES).map(bad -> String.valueOf(bad.value().length)).toList());
            ModelMetadata snapshot = lastSnapshot();
            assertThat(snapshot.labelsLearned()).as("every good labelled event learned").isEqualTo(good);
            double counted = registry.find("streamlearn.train.dlq").counters().stream().mapToDouble(Counter::count).sum();
            assertThat(counted).isEqualTo(corpus.size());
        }
    }

    /**
     * With {@code max.record.bytes} raised past Kafka's default limit (and the cluster's events topic raised with it),
     * the dead-letter topic the trainer creates holds the largest record it may have to set aside, headers included:
     * a 1.8 MB event with an undeclared feature lands in it, and the trainer goes on.
     */
    @Test
    void aDeadLetterOverKafkasDefaultLimitFitsTheDeadLetterTopicTheTrainerCreates() throws Exception {
        TrainerConfig config = TrainerConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "application.id", "dlq-large", "kafka.state.dir", stateDir.toString(),
                "topic.events", "large.events", "topic.labels", "large.labels", "topic.predictions",
                "large.predictions", "topic.dlq", "large.dlq", "topic.models", "large.models", "max.record.bytes",
                "2000000", "kafka.producer.max.request.size", "3000000")).validate();
        broker.createTopic("large.events", 1, Map.of("max.message.bytes", "2100000"));
        TrainerTopics.createMissing(config, 1, (short) 1);
        // Random text, so that the producer's compression cannot bring the batch under the default limit.
        java.util.Random random = new java.util.Random(17);
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < 450; i++) {
            byte[] noise = new byte[3000];
            random.nextBytes(noise);
            pad.append(i == 0 ? "\"" : ",\"").append(Base64.getEncoder().encodeToString(noise)).append('"');
        }
        byte[] large = bytes("{\"id\":\"big\",\"features\":{\"x\":0.5,\"color\":\"red\",\"pad\":[" + pad
                + "]}}");
        assertThat(large.length).isBetween(1_500_000, 2_000_000);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3_000_000);
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("large.events", TestModels.MODEL, large)).get();
            // The drift monitor's old crash: one 70 KB nominal value (issue 14); here a dead letter like any other.
            producer.send(new ProducerRecord<>("large.events", TestModels.MODEL, bytes("{\"id\":\"wide\",\"features\":"
                    + "{\"x\":0.5,\"color\":\"" + "c".repeat(70_000) + "\"}}"))).get();
            producer.send(new ProducerRecord<>("large.events", TestModels.MODEL, bytes(TestModels.event(1, true))))
                    .get();
        }
        try (TrainerApplication trainer = TrainerApplication.start(config,
                List.of(TestModels.definition("bayes.NaiveBayes")), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                    CommittedRecords.readAll(broker.bootstrapServers(), "large.predictions").size() == 1);
            List<ConsumerRecord<String, byte[]>> deadLetters = CommittedRecords.readAll(broker.bootstrapServers(),
                    "large.dlq");
            assertThat(deadLetters).hasSize(2);
            assertThat(deadLetters.get(0).value()).isEqualTo(large);
            assertThat(deadLetters).extracting(record -> new String(record.headers().lastHeader("reason").value(),
                    StandardCharsets.UTF_8)).containsExactly("unknown_feature", "too_long");
            assertThat(trainer.isAlive()).isTrue();
        }
    }

    private static ModelMetadata lastSnapshot() {
        List<ConsumerRecord<String, byte[]>> snapshots = CommittedRecords.readAll(broker.bootstrapServers(), "models");
        return snapshots.isEmpty() ? null
                : ModelSnapshotCodec.decodeMetadata(snapshots.get(snapshots.size() - 1).value());
    }

    private static Map<String, String> reasonsByValue(List<ConsumerRecord<String, byte[]>> deadLetters) {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : deadLetters) {
            reasons.put(shortName(record.value()),
                    new String(record.headers().lastHeader("reason").value(), StandardCharsets.UTF_8));
        }
        return reasons;
    }

    /** An oversized record is kept as its first max.record.bytes bytes, so that the copy fits the dead-letter topic. */
    private static Map<String, String> expectedReasons(List<BadRecord> corpus) {
        Map<String, String> reasons = new HashMap<>();
        corpus.forEach(bad -> reasons.put(shortName(bad.value().length > MAX_RECORD_BYTES
                ? java.util.Arrays.copyOf(bad.value(), MAX_RECORD_BYTES) : bad.value()), bad.reason()));
        return reasons;
    }

    /** A readable, bounded name for a record: its first bytes and a digest of all of them. */
    private static String shortName(byte[] value) {
        String text = new String(value, 0, Math.min(40, value.length), StandardCharsets.UTF_8);
        return text + "…#" + Integer.toHexString(java.util.Arrays.hashCode(value)) + "/" + value.length;
    }

    private static List<BadRecord> corpus() throws Exception {
        List<BadRecord> corpus = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                DeadLetterIntegrationTest.class.getResourceAsStream("/dead-letter-corpus.jsonl"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode entry = JSON.readTree(line);
                byte[] value = entry.has("base64") ? Base64.getDecoder().decode(entry.get("base64").asText())
                        : bytes(entry.get("value").asText());
                String key = entry.get("key").isNull() ? null : entry.get("key").asText();
                corpus.add(new BadRecord(entry.path("topic").asText("events"), key, value, entry.get("reason").asText()));
            }
        }
        // Records over max.record.bytes (and under the broker's default 1 MiB limit) are generated, not committed.
        String padding = String.join("", Collections.nCopies(MAX_RECORD_BYTES + 1, "p"));
        corpus.add(new BadRecord("events", TestModels.MODEL,
                bytes("{\"id\":\"o1\",\"features\":{\"x\":0.5,\"color\":\"red\"},\"pad\":\"" + padding + "\"}"), "oversized"));
        corpus.add(new BadRecord("events", TestModels.MODEL,
                bytes("{\"id\":\"o2\",\"features\":{\"x\":[" + String.join(",", Collections.nCopies(MAX_RECORD_BYTES / 2 + 1, "1"))
                        + "],\"color\":\"red\"}}"), "oversized"));
        // Names and values past EventCodec's bounds, under the record limit: one such record once stopped the monitor.
        String longValue = "v".repeat(60_000);
        corpus.add(new BadRecord("events", TestModels.MODEL,
                bytes("{\"id\":\"t1\",\"features\":{\"x\":0.5,\"color\":\"" + longValue + "\"}}"), "too_long"));
        corpus.add(new BadRecord("events", TestModels.MODEL,
                bytes("{\"id\":\"" + "i".repeat(300) + "\",\"features\":{\"x\":0.5,\"color\":\"red\"}}"),
                "too_long"));
        corpus.add(new BadRecord("events", TestModels.MODEL,
                bytes("{\"id\":\"t3\",\"features\":{\"x\":0.5,\"color\":\"red\",\"" + "n".repeat(300)
                        + "\":1}}"), "too_long"));
        return corpus;
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
