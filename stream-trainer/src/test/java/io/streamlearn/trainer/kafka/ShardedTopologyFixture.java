package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.runtime.kafka.ChunkedRecords;
import io.streamlearn.trainer.model.AwaitedVotes;
import io.streamlearn.trainer.model.OnlineModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's topology with sharding on, on a test driver, and what the sharded-model tests read from it: the
 * model's task, the shards' tasks and the vote stage in one driver, every topic of theirs at hand.
 */
abstract class ShardedTopologyFixture {


    static final String UNSHARDED = TestModels.MODEL;
    static final String SHARDED = "sharded";
    static final String OTHER = "other";
    static final ObjectMapper JSON = new ObjectMapper();

    final ModelCatalog catalog = new ModelCatalog();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ChunkReassembler chunks = new ChunkReassembler(BlobChunking.defaults());
    TrainerConfig config;
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> events;
    TestInputTopic<String, byte[]> labels;
    TestOutputTopic<String, byte[]> predictions;
    TestOutputTopic<String, byte[]> deadLetters;
    TestOutputTopic<String, byte[]> models;
    TestOutputTopic<String, byte[]> shardSteps;
    TestInputTopic<String, byte[]> votes;
    TestInputTopic<String, byte[]> sums;
    /** The vote stage's sums, as sent to the model's task. */
    TestOutputTopic<String, byte[]> sent;

    @TempDir
    Path stateDir;

    @BeforeEach
    void startDriver() {
        config = TrainerConfig.of(Map.of("snapshot.interval.ms", "1000",
                "checkpoint.interval.records", "50", "shard.enabled", "true"));
        driver = TrainerTestDriver.start(config, catalog, stateDir, registry);
        events = TrainerTestDriver.input(driver, "events");
        labels = TrainerTestDriver.input(driver, "labels");
        predictions = TrainerTestDriver.output(driver, "predictions");
        deadLetters = TrainerTestDriver.output(driver, "events.dlq");
        models = TrainerTestDriver.output(driver, "models");
        shardSteps = TrainerTestDriver.output(driver, config.shardStepsTopic());
        votes = TrainerTestDriver.input(driver, config.shardVotesTopic());
        sums = TrainerTestDriver.input(driver, config.shardSumsTopic());
        sent = TrainerTestDriver.output(driver, config.shardSumsTopic());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    /**
     * Events {@code from} to {@code from + count - 1} (an even count) to both models: even ones labelled inline, odd
     * ones by a label after the next event.
     */
    void sendBoth(int from, int count) {
        for (int i = from; i < from + count; i++) {
            for (String model : List.of(UNSHARDED, SHARDED)) {
                boolean inline = i % 2 == 0;
                events.pipeInput(model, bytes(TestModels.event(i, inline), model));
                if (!inline && i - 2 >= from) {
                    labels.pipeInput(model, bytes(TestModels.labelOf(i - 2), model));
                }
            }
        }
        for (String model : List.of(UNSHARDED, SHARDED)) {
            labels.pipeInput(model, bytes(TestModels.labelOf(from + count - 1), model));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
    }

    void send(String model, int from, int count) {
        for (int i = from; i < from + count; i++) {
            events.pipeInput(model, bytes(TestModels.event(i, true), model));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
    }

    static byte[] bytes(String json, String model) {
        return json.replace("\"model\":\"" + TestModels.MODEL + "\"", "\"model\":\"" + model + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    Map<String, Map<String, JsonNode>> predictionsByModel() throws Exception {
        Map<String, Map<String, JsonNode>> byModel = new HashMap<>();
        for (TestRecord<String, byte[]> record : predictions.readRecordsToList()) {
            JsonNode prediction = JSON.readTree(record.value());
            JsonNode previous = byModel.computeIfAbsent(record.key(), model -> new HashMap<>())
                    .put(prediction.get("id").asText(), prediction);
            assertThat(previous).as("one prediction per event").isNull();
        }
        return byModel;
    }

    /**
     * The newest version the sharded model published, once each of its first {@code shards} shards published its
     * state of that version too (as a server needs to serve it), all having seen {@code eventsSeen} events.
     */
    long versionInStep(int shards, long eventsSeen) {
        Map<String, ModelSnapshot> snapshots = lastSnapshots();
        ModelMetadata model = snapshots.get(SHARDED).metadata();
        assertThat(model.eventsSeen()).isEqualTo(eventsSeen);
        for (int shard = 0; shard < shards; shard++) {
            ModelMetadata state = snapshots.get(SHARDED + "#" + shard).metadata();
            assertThat(state.version()).as("shard %d", shard).isEqualTo(model.version());
            assertThat(state.eventsSeen()).as("shard %d", shard).isEqualTo(eventsSeen);
        }
        return model.version();
    }

    /** An event of {@code definition} waiting for its shards' votes, as the model's task stores it. */
    static String awaitVotes(KeyValueStore<String, byte[]> awaited, ModelDefinition definition, String id) {
        String key = TrainingProcessor.pendingKey(definition, id);
        long now = System.currentTimeMillis();
        awaited.put(key, AwaitedVotes.of(0, 3, now, now, 0).encode());
        return key;
    }

    /** The shard as its task would restore it now from the shard stores. */
    OnlineModel storedShard(ModelDefinition definition, int shard) {
        return shardStores().load(definition.shard(shard)).model();
    }

    /** The generation of the shard's checkpoint in the shard stores. */
    long storedOrigin(int shard) {
        byte[] checkpoint = ChunkedRecords.read(driver.getKeyValueStore(TrainerTopology.SHARD_CHECKPOINT_STORE),
                SHARDED + "#" + shard, BlobChunking.defaults()).orElseThrow();
        return OnlineModel.origin(checkpoint).orElseThrow().generation();
    }

    ModelStateStores shardStores() {
        return new ModelStateStores(driver.getKeyValueStore(TrainerTopology.SHARD_CHECKPOINT_STORE),
                driver.getKeyValueStore(TrainerTopology.SHARD_JOURNAL_STORE), config.checkpointMaxRecords(),
                config.evaluationWindow(), config.fadingFactor(), config.chunking());
    }

    /** The counter's count, 0 before its first increment. */
    double counter(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    Map<String, ModelSnapshot> lastSnapshots() {
        Map<String, ModelSnapshot> last = new HashMap<>();
        for (TestRecord<String, byte[]> record : models.readRecordsToList()) {
            chunks.accept(record.key(), record.value())
                    .ifPresent(blob -> last.put(blob.key(), ModelSnapshotCodec.decode(blob.value())));
        }
        return last;
    }
}
