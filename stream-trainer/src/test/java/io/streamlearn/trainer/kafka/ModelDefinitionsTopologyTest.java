package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer follows a catalog that changes while it runs (the definitions topic): models defined, redefined,
 * started afresh as a new generation, refused, and deleted, each without a restart and without disturbing the others.
 */
class ModelDefinitionsTopologyTest {

    private static final String OTHER = "other";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ModelCatalog catalog = new ModelCatalog();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> predictions;
    private TestOutputTopic<String, byte[]> deadLetters;
    private TestOutputTopic<String, byte[]> models;
    private final ChunkReassembler chunks = new ChunkReassembler(BlobChunking.defaults());
    private int nextEvent;

    @TempDir
    Path stateDir;

    @BeforeEach
    void startDriver() {
        TrainerConfig config = TrainerConfig.of(Map.of("snapshot.interval.ms", "1000",
                "checkpoint.interval.records", "50"));
        driver = TrainerTestDriver.start(config, catalog, stateDir, registry);
        events = TrainerTestDriver.input(driver, "events");
        predictions = TrainerTestDriver.output(driver, "predictions");
        deadLetters = TrainerTestDriver.output(driver, "events.dlq");
        models = TrainerTestDriver.output(driver, "models");
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aModelDefinedWhileTheTrainerRunsTrainsFromItsNextEvent() {
        send(TestModels.MODEL, 3);
        assertThat(reasons()).containsExactly("unknown_model", "unknown_model", "unknown_model");

        catalog.apply(DefinedModel.defined(TestModels.definition("bayes.NaiveBayes")));
        send(TestModels.MODEL, 100);
        assertThat(predictions.readRecordsToList()).hasSize(100);
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(lastSnapshot(TestModels.MODEL).metadata().eventsSeen()).isEqualTo(100);
    }

    @Test
    void theSameStateRedefinedGoesOnAndANewGenerationStartsAfreshWithLaterVersions() {
        ModelDefinition first = TestModels.definition("bayes.NaiveBayes");
        catalog.apply(DefinedModel.defined(first));
        send(TestModels.MODEL, 200);
        ModelSnapshot before = lastSnapshot(TestModels.MODEL);
        assertThat(before.metadata().eventsSeen()).isEqualTo(200);

        catalog.apply(DefinedModel.defined(first.withVersion(2)));
        send(TestModels.MODEL, 50);
        assertThat(lastSnapshot(TestModels.MODEL).metadata().eventsSeen()).as("same state, written again")
                .isEqualTo(250);

        ModelDefinition tree = new ModelDefinition(first.schema(), "trees.HoeffdingTree", first.alertRule(), 2, 3);
        catalog.apply(DefinedModel.defined(tree));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        ModelSnapshot restarted = lastSnapshot(TestModels.MODEL);
        assertThat(restarted.metadata().learnerSpec()).isEqualTo("trees.HoeffdingTree");
        assertThat(restarted.metadata().eventsSeen()).as("published at once, before any event").isZero();
        long restartVersion = restarted.metadata().version();
        assertThat(restartVersion).isGreaterThan(before.metadata().version());

        send(TestModels.MODEL, 80);
        ModelSnapshot after = lastSnapshot(TestModels.MODEL);
        assertThat(after.metadata().eventsSeen()).isEqualTo(80);
        assertThat(after.metadata().version()).isGreaterThan(restartVersion);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aDefinitionTheStateCannotFollowIsRefusedForItsModelAloneUntilANewGenerationComes() {
        ModelDefinition toy = TestModels.definition("bayes.NaiveBayes");
        catalog.apply(DefinedModel.defined(toy));
        catalog.apply(DefinedModel.defined(new ModelDefinition(TestModels.schema().withModel(OTHER),
                "bayes.NaiveBayes")));
        send(TestModels.MODEL, 60);
        send(OTHER, 60);
        assertThat(predictions.readRecordsToList()).hasSize(120);

        FeatureSchema widened = new FeatureSchema(TestModels.MODEL, TestModels.schema().target(),
                List.of(FeatureSpec.numeric("x"), FeatureSpec.nominal("color", List.of("red", "blue", "green"))));
        catalog.apply(DefinedModel.defined(new ModelDefinition(widened, "bayes.NaiveBayes", toy.alertRule(), 1, 2)));
        send(TestModels.MODEL, 5);
        send(OTHER, 5);
        assertThat(reasons()).containsOnly("incompatible_definition").hasSize(5);
        assertThat(predictions.readRecordsToList()).extracting(TestRecord::key).containsOnly(OTHER).hasSize(5);
        assertThat(registry.get("streamlearn.train.model.refusals").tag("model", TestModels.MODEL).counter().count())
                .isEqualTo(1);

        catalog.apply(DefinedModel.defined(new ModelDefinition(widened, "bayes.NaiveBayes", toy.alertRule(), 2, 3)));
        send(TestModels.MODEL, 5);
        assertThat(predictions.readRecordsToList()).hasSize(5);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aShardedModelIsRefusedByATrainerWithoutShardingAndTheOthersGoOn() {
        catalog.apply(DefinedModel.defined(new ModelDefinition(TestModels.schema().withModel(OTHER),
                "bayes.NaiveBayes")));
        catalog.apply(DefinedModel.defined(TestModels.definition("meta.OzaBag -s 4 -l bayes.NaiveBayes")
                .withShards(2)));
        send(TestModels.MODEL, 3);
        send(OTHER, 10);

        List<TestRecord<String, byte[]>> refused = deadLetters.readRecordsToList();
        assertThat(refused).hasSize(3).allSatisfy(record -> {
            assertThat(header(record, DeadLetterHeaders.REASON)).isEqualTo("incompatible_definition");
            assertThat(header(record, DeadLetterHeaders.DETAIL)).contains("shard.enabled=true");
        });
        assertThat(predictions.readRecordsToList()).extracting(TestRecord::key).containsOnly(OTHER).hasSize(10);
        assertThat(driver.producedTopicNames()).as("no shard stage runs").noneMatch(topic -> topic.contains("shard"));
    }

    @Test
    void aDeletedModelIsDroppedWithItsMetersAndItsRecordsAreDeadLettered() {
        ModelDefinition toy = TestModels.definition("bayes.NaiveBayes");
        catalog.apply(DefinedModel.defined(toy));
        send(TestModels.MODEL, 100);
        assertThat(registry.find("streamlearn.train.events").tag("model", TestModels.MODEL).counter()).isNotNull();
        long versionBeforeDeletion = lastSnapshot(TestModels.MODEL).metadata().version();

        catalog.apply(DefinedModel.deletion(TestModels.MODEL, toy, 1, 2));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(registry.find("streamlearn.train.events").tag("model", TestModels.MODEL).counter()).isNull();
        send(TestModels.MODEL, 2);
        assertThat(reasons()).containsExactly("unknown_model", "unknown_model");

        // Defined again under the name: a new generation, nothing of the old state.
        catalog.apply(DefinedModel.defined(toy.withGeneration(2).withVersion(3)));
        send(TestModels.MODEL, 30);
        ModelSnapshot again = lastSnapshot(TestModels.MODEL);
        assertThat(again.metadata().eventsSeen()).isEqualTo(30);
        assertThat(again.metadata().version()).as("servers that held the old versions take the new ones")
                .isGreaterThan(versionBeforeDeletion);
    }

    /** {@code count} labelled events of {@code model}, then a snapshot interval. */
    private void send(String model, int count) {
        for (int i = 0; i < count; i++) {
            String json = TestModels.event(nextEvent++, true).replace("\"model\":\"" + TestModels.MODEL + "\"",
                    "\"model\":\"" + model + "\"");
            events.pipeInput(model, json.getBytes(StandardCharsets.UTF_8));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        for (TestRecord<String, byte[]> record : deadLetters.readRecordsToList()) {
            Header reason = record.headers().lastHeader(DeadLetterHeaders.REASON);
            reasons.add(new String(reason.value(), StandardCharsets.UTF_8));
        }
        return reasons;
    }

    private ModelSnapshot lastSnapshot(String model) {
        Optional<byte[]> last = Optional.empty();
        for (TestRecord<String, byte[]> record : models.readRecordsToList()) {
            Optional<byte[]> assembled = chunks.accept(record.key(), record.value())
                    .filter(blob -> blob.key().equals(model)).map(ChunkReassembler.Assembled::value);
            last = assembled.isPresent() ? assembled : last;
        }
        lastSnapshots.put(model, last.map(ModelSnapshotCodec::decode).orElse(lastSnapshots.get(model)));
        return lastSnapshots.get(model);
    }

    private final Map<String, ModelSnapshot> lastSnapshots = new java.util.HashMap<>();
}
