package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> labels;
    private TestOutputTopic<String, byte[]> predictions;
    private TestOutputTopic<String, byte[]> deadLetters;
    private TestOutputTopic<String, byte[]> models;

    @TempDir
    Path stateDir;

    @BeforeEach
    void startDriver() {
        startDriver(Map.of());
    }

    private void startDriver(Map<String, String> extraSettings) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("snapshot.interval.ms", "1000",
                "checkpoint.interval.records", "50", "label.ttl.ms", "60000"));
        settings.putAll(extraSettings);
        TrainerConfig config = TrainerConfig.of(settings);
        driver = TrainerTestDriver.start(config, List.of(TestModels.definition("bayes.NaiveBayes")), stateDir,
                registry);
        events = TrainerTestDriver.input(driver, "events");
        labels = TrainerTestDriver.input(driver, "labels");
        predictions = TrainerTestDriver.output(driver, "predictions");
        deadLetters = TrainerTestDriver.output(driver, "events.dlq");
        models = TrainerTestDriver.output(driver, "models");
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void predictsEveryValidEventBeforeLearningFromIt() throws Exception {
        for (int i = 0; i < 400; i++) {
            events.pipeInput(TestModels.MODEL, bytes(TestModels.event(i, true)));
        }
        List<TestRecord<String, byte[]>> records = predictions.readRecordsToList();
        assertThat(records).hasSize(400);
        JsonNode first = JSON.readTree(records.get(0).value());
        assertThat(first.get("id").asText()).isEqualTo("e0");
        assertThat(first.get("model").asText()).isEqualTo(TestModels.MODEL);
        assertThat(first.get("version").asLong()).isZero();
        assertThat(first.get("ts").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(first.get("scores").has("yes")).isTrue();
        long lateCorrect = records.subList(300, 400).stream()
                .filter(r -> correct(r, Integer.parseInt(read(r).get("id").asText().substring(1)))).count();
        assertThat(lateCorrect).as("naive Bayes learns x > 0 from inline labels").isGreaterThan(85);
        assertThat(registry.get("streamlearn.train.predictions").counter().count()).isEqualTo(400);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void sendsInvalidRecordsToTheDeadLetterTopicWithTheirReason() {
        Map<String, String> bad = Map.of(
                "{not json", "malformed_json",
                "{\"ts\":1,\"features\":{\"x\":1,\"color\":\"red\"}}", "missing_id",
                "{\"id\":\"a\",\"model\":\"nope\",\"features\":{\"x\":1,\"color\":\"red\"}}", "unknown_model",
                "{\"id\":\"b\",\"features\":{\"x\":\"one\",\"color\":\"red\"}}", "wrong_type",
                "{\"id\":\"c\",\"features\":{\"x\":1,\"color\":\"green\"}}", "unseen_nominal",
                "{\"id\":\"d\",\"features\":{\"x\":1,\"color\":\"red\",\"y\":2}}", "unknown_feature",
                "{\"id\":\"e\",\"features\":{\"color\":\"red\"}}", "missing_feature",
                "{\"id\":\"f\",\"features\":{\"x\":1e400,\"color\":\"red\"}}", "not_finite",
                "{\"id\":\"g\",\"features\":{\"x\":1,\"color\":\"red\"},\"label\":\"maybe\"}", "invalid_label");
        int good = 0;
        for (Map.Entry<String, String> record : bad.entrySet()) {
            events.pipeInput(TestModels.MODEL, bytes(record.getKey()));
            events.pipeInput(TestModels.MODEL, bytes(TestModels.event(good++, true)));
        }
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(bad.size());
        for (TestRecord<String, byte[]> record : dead) {
            String original = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(header(record, DeadLetterHeaders.REASON)).as(original).isEqualTo(bad.get(original));
            assertThat(header(record, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("events");
        }
        assertThat(predictions.readRecordsToList()).hasSize(good);
        assertThat(registry.get("streamlearn.train.dlq").tag("reason", "wrong_type").counter().count()).isEqualTo(1);
    }

    @Test
    void joinsLateLabelsWithTheirEventsById() throws Exception {
        for (int i = 0; i < 100; i++) {
            events.pipeInput(TestModels.MODEL, bytes(TestModels.event(i, false)));
        }
        for (int i = 0; i < 100; i++) {
            labels.pipeInput(TestModels.MODEL, bytes(TestModels.labelOf(i)));
        }
        labels.pipeInput(TestModels.MODEL, bytes("{\"id\":\"never-seen\",\"label\":\"yes\"}"));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(deadLetters.isEmpty()).as("a label without its event is held for label.hold.ms").isTrue();
        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(100, true)),
                java.time.Instant.now().plus(Duration.ofMinutes(6)));
        driver.advanceWallClockTime(Duration.ofMinutes(1));

        ModelMetadata metadata = lastSnapshot().metadata();
        assertThat(metadata.eventsSeen()).isEqualTo(101);
        assertThat(metadata.labelsLearned()).isEqualTo(101);
        assertThat(metadata.evaluation().instances()).isEqualTo(101);
        assertThat(registry.get("streamlearn.train.labels").tag("outcome", "joined").counter().count()).isEqualTo(100);
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).singleElement().satisfies(r -> assertThat(header(r, "reason")).isEqualTo("unknown_id"));
    }

    @Test
    void joinsALabelReadBeforeItsEventExactlyAsAnInlineLabel() {
        for (int i = 0; i < 300; i++) {
            events.pipeInput(TestModels.MODEL, bytes(TestModels.event(i, true)), 1_700_000_000_000L + i);
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        ModelSnapshot inline = lastSnapshot();
        driver.close();
        startDriver(Map.of());

        for (int i = 0; i < 300; i++) {
            labels.pipeInput(TestModels.MODEL, bytes(TestModels.labelOf(i)), 1_700_000_000_000L + i);
            events.pipeInput(TestModels.MODEL, bytes(TestModels.event(i, false)), 1_700_000_000_000L + i);
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        ModelSnapshot early = lastSnapshot();
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(early.metadata().eventsSeen()).isEqualTo(300);
        assertThat(early.metadata().labelsLearned()).isEqualTo(300);
        assertThat(early.metadata().evaluation()).isEqualTo(inline.metadata().evaluation());
        assertThat(early.learnerState()).isEqualTo(inline.learnerState());
        assertThat(early.metadata().inputOffsets()).containsEntry("labels-0", 300L);
        assertThat(registry.get("streamlearn.train.labels").tag("outcome", "held").counter().count()).isEqualTo(300);
        assertThat(registry.get("streamlearn.train.labels").tag("outcome", "joined").counter().count()).isEqualTo(300);
    }

    @Test
    void deadLettersAHeldLabelWhoseEventDoesNotComeWithinTheHold() {
        driver.close();
        startDriver(Map.of("label.hold.ms", "60000"));
        long start = 1_700_000_000_000L;
        labels.pipeInput(TestModels.MODEL, bytes(TestModels.labelOf(5)), start);
        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(1, true)), start + 60_000);
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(deadLetters.isEmpty()).as("held while within label.hold.ms of stream time").isTrue();

        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(2, true)), start + 60_001);
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(bytes(TestModels.labelOf(5)));
            assertThat(header(record, DeadLetterHeaders.REASON)).isEqualTo("unknown_id");
            assertThat(header(record, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("labels");
            assertThat(header(record, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
            assertThat(header(record, DeadLetterHeaders.DETAIL)).contains("label.hold.ms");
        });
        assertThat(registry.get("streamlearn.train.labels").tag("outcome", "unmatched").counter().count()).isEqualTo(1);

        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(5, false)), start + 60_002);
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(lastSnapshot().metadata().labelsLearned()).as("the expired label is not learned").isEqualTo(2);
    }

    @Test
    void deadLettersALabelAtOnceWhenTheHoldIsFullOrTheEventWasLabelledInline() {
        driver.close();
        startDriver(Map.of("label.hold.max", "2"));
        for (int i = 0; i < 3; i++) {
            labels.pipeInput(TestModels.MODEL, bytes(TestModels.labelOf(i)));
        }
        assertThat(deadLetters.readRecordsToList()).singleElement()
                .satisfies(record -> assertThat(header(record, DeadLetterHeaders.DETAIL)).contains("label.hold.max"));

        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(0, true)));
        assertThat(deadLetters.readRecordsToList()).singleElement()
                .satisfies(record -> assertThat(header(record, DeadLetterHeaders.DETAIL)).contains("inline"));
        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(1, false)));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(lastSnapshot().metadata().labelsLearned()).isEqualTo(2);
        assertThat(registry.get("streamlearn.train.labels").tag("outcome", "unmatched").counter().count()).isEqualTo(2);
    }

    /** Issue 14: ids and labels are chosen by producers, so the hold is bounded in bytes; the oldest make room. */
    @Test
    void evictsTheOldestHeldLabelsToKeepTheHoldWithinItsByteBudget() {
        long perLabel = (TestModels.MODEL + "\u0000e0").length() + 28 + bytes(TestModels.labelOf(0)).length;
        driver.close();
        startDriver(Map.of("label.hold.max.bytes", Long.toString(2 * perLabel + perLabel / 2)));
        for (int i = 0; i < 3; i++) {
            labels.pipeInput(TestModels.MODEL, bytes(TestModels.labelOf(i)));
        }

        assertThat(deadLetters.readRecordsToList()).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(bytes(TestModels.labelOf(0)));
            assertThat(header(record, DeadLetterHeaders.REASON)).isEqualTo("unknown_id");
            assertThat(header(record, DeadLetterHeaders.DETAIL)).contains("evicted").contains("label.hold.max.bytes");
        });
        assertThat(registry.get("streamlearn.train.labels").tag("outcome", "evicted").counter().count()).isEqualTo(1);

        String huge = "{\"id\":\"e9\",\"label\":\"yes\",\"note\":\"" + "x".repeat((int) (3 * perLabel)) + "\"}";
        labels.pipeInput(TestModels.MODEL, bytes(huge));
        assertThat(deadLetters.readRecordsToList()).as("a label larger than the budget evicts nothing")
                .singleElement().satisfies(record -> {
                    assertThat(record.value()).isEqualTo(bytes(huge));
                    assertThat(header(record, DeadLetterHeaders.DETAIL)).contains("label.hold.max.bytes");
                });

        for (int i = 0; i < 3; i++) {
            events.pipeInput(TestModels.MODEL, bytes(TestModels.event(i, false)));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(lastSnapshot().metadata().labelsLearned()).as("the two labels still held join their events")
                .isEqualTo(2);
        assertThat(registry.get("streamlearn.train.labels").tag("outcome", "evicted").counter().count()).isEqualTo(1);
    }

    @Test
    void publishesVersionedSnapshotsOnlyWhenTheModelChanged() {
        for (int i = 0; i < 120; i++) {
            events.pipeInput(TestModels.MODEL, bytes(TestModels.event(i, true)));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        ModelSnapshot first = lastSnapshot();
        assertThat(models.isEmpty()).as("no change, no new snapshot").isTrue();
        assertThat(first.metadata().version()).isEqualTo(1);
        assertThat(first.metadata().eventsSeen()).isEqualTo(120);
        assertThat(first.metadata().inputOffsets()).containsEntry("events-0", 120L);
        assertThat(first.metadata().learnerSpec()).isEqualTo("bayes.NaiveBayes");
        assertThat(first.restoreLearner().predict(new double[] {2.0, 0}).predictedClass()).isZero();

        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(500, true)));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(lastSnapshot().metadata().version()).isEqualTo(2);
        assertThat(read(predictions.readRecordsToList().get(120)).get("version").asLong())
                .as("predictions name the last published version").isEqualTo(1);
    }

    @Test
    void signsSnapshotsWhenASigningKeyIsConfigured() {
        String key = "a key shared by the trainer and servers";
        driver.close();
        startDriver(Map.of("snapshot.signing.key", key));
        for (int i = 0; i < 20; i++) {
            events.pipeInput(TestModels.MODEL, bytes(TestModels.event(i, true)));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        byte[] record = assembledSnapshots().get(0);

        assertThat(ModelSnapshotCodec.decodeMetadata(SnapshotSigning.of(key).verify(record)).eventsSeen())
                .isEqualTo(20);
        assertThatThrownBy(() -> SnapshotSigning.of("somebody else's key of 32 bytes+").verify(record))
                .isInstanceOf(SecurityException.class);
    }

    @Test
    void countsEventsThatNeverGetALabel() {
        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(1, false)), 1_700_000_000_000L);
        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(2, false)), 1_700_000_000_000L);
        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(3, true)), 1_700_000_000_000L + 120_000);
        driver.advanceWallClockTime(Duration.ofSeconds(40));
        assertThat(registry.get("streamlearn.train.labels").tag("outcome", "expired").counter().count()).isEqualTo(2);
        labels.pipeInput(TestModels.MODEL, bytes(TestModels.labelOf(1)), 1_700_000_000_000L + 120_000);
        events.pipeInput(TestModels.MODEL, bytes(TestModels.event(4, true)), 1_700_000_000_000L + 600_000);
        driver.advanceWallClockTime(Duration.ofSeconds(40));
        assertThat(deadLetters.readRecordsToList()).as("its label, held for label.hold.ms, then refused").hasSize(1);
    }

    @Test
    void publishesSnapshotsAsChunksOfBoundedSizeFollowedByTheirManifest() {
        driver.close();
        startDriver(Map.of("snapshot.chunk.bytes", "1024"));
        for (int i = 0; i < 200; i++) {
            events.pipeInput(TestModels.MODEL, bytes(TestModels.event(i, true)));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        List<TestRecord<String, byte[]>> records = models.readRecordsToList();
        assertThat(records.size()).as("chunks and a manifest").isGreaterThan(2);
        assertThat(records.subList(0, records.size() - 1)).allSatisfy(record -> {
            assertThat(BlobChunking.isChunkKey(record.key())).isTrue();
            assertThat(record.value().length).isLessThanOrEqualTo(1024 + 64);
        });
        TestRecord<String, byte[]> manifest = records.get(records.size() - 1);
        assertThat(manifest.key()).isEqualTo(TestModels.MODEL);
        assertThat(ModelSnapshotCodec.decodeMetadata(manifest.value()).eventsSeen()).as("metadata in the manifest")
                .isEqualTo(200);
        ChunkReassembler reassembler = new ChunkReassembler(BlobChunking.defaults());
        records.forEach(record -> reassembler.accept(record.key(), record.value()));
        assertThat(reassembler.heldBytes()).isZero();
    }

    private ModelSnapshot lastSnapshot() {
        List<byte[]> snapshots = assembledSnapshots();
        assertThat(snapshots).isNotEmpty();
        return ModelSnapshotCodec.decode(snapshots.get(snapshots.size() - 1));
    }

    /** The snapshots published since the last read, each reassembled from its chunks. */
    private List<byte[]> assembledSnapshots() {
        ChunkReassembler reassembler = new ChunkReassembler(BlobChunking.defaults());
        List<byte[]> snapshots = new java.util.ArrayList<>();
        for (TestRecord<String, byte[]> record : models.readRecordsToList()) {
            reassembler.accept(record.key(), record.value()).ifPresent(blob -> snapshots.add(blob.value()));
        }
        return snapshots;
    }

    private static boolean correct(TestRecord<String, byte[]> record, int index) {
        String expected = new java.util.Random(index).nextGaussian() > 0 ? "yes" : "no";
        return read(record).get("prediction").asText().equals(expected);
    }

    private static JsonNode read(TestRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String header(TestRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
