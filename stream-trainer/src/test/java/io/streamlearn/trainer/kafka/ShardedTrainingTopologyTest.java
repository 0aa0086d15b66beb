package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.ShardVotes;
import io.streamlearn.core.learn.ShardedEnsemble;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import io.streamlearn.runtime.kafka.ChunkedRecords;
import io.streamlearn.trainer.model.AwaitedVotes;
import io.streamlearn.trainer.model.OnlineModel;
import io.streamlearn.trainer.model.ShardSum;
import io.streamlearn.trainer.model.ShardVote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sharded ensembles through the trainer's topology: events fanned out to the shards, votes added up by the vote stage,
 * predictions and scores from their sum in the model's task, and every shard of a version published.
 */
class ShardedTrainingTopologyTest {

    private static final String UNSHARDED = TestModels.MODEL;
    private static final String SHARDED = "sharded";
    private static final String OTHER = "other";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelCatalog catalog = new ModelCatalog();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ChunkReassembler chunks = new ChunkReassembler(BlobChunking.defaults());
    private TrainerConfig config;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> labels;
    private TestOutputTopic<String, byte[]> predictions;
    private TestOutputTopic<String, byte[]> deadLetters;
    private TestOutputTopic<String, byte[]> models;
    private TestOutputTopic<String, byte[]> shardSteps;
    private TestInputTopic<String, byte[]> votes;
    private TestInputTopic<String, byte[]> sums;
    /** The vote stage's sums, as sent to the model's task. */
    private TestOutputTopic<String, byte[]> sent;

    @TempDir
    Path stateDir;

    @BeforeEach
    void startDriver() {
        config = TrainerConfig.of(Map.of("snapshot.interval.ms", "1000",
                "checkpoint.interval.records", "50", "shard.enabled", "true"));
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(registry);
        var properties = TrainerTopology.streamsProperties(config);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(TrainerTopology.build(config, catalog, metrics), properties);
        events = driver.createInputTopic("events", new StringSerializer(), new ByteArraySerializer());
        labels = driver.createInputTopic("labels", new StringSerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic("predictions", new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic("events.dlq", new StringDeserializer(), new ByteArrayDeserializer());
        models = driver.createOutputTopic("models", new StringDeserializer(), new ByteArrayDeserializer());
        shardSteps = driver.createOutputTopic(config.shardStepsTopic(), new StringDeserializer(),
                new ByteArrayDeserializer());
        votes = driver.createInputTopic(config.shardVotesTopic(), new StringSerializer(), new ByteArraySerializer());
        sums = driver.createInputTopic(config.shardSumsTopic(), new StringSerializer(), new ByteArraySerializer());
        sent = driver.createOutputTopic(config.shardSumsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    /**
     * One shard is the unsharded ensemble: the same prediction and scores for every event, labelled inline or
     * later, and the same evaluation.
     */
    @Test
    void oneShardPredictsAndScoresExactlyAsTheUnshardedEnsemble() throws Exception {
        String spec = "meta.AdaptiveRandomForest -s 4";
        catalog.apply(DefinedModel.defined(TestModels.definition(spec)));
        catalog.apply(DefinedModel.defined(new ModelDefinition(TestModels.schema().withModel(SHARDED), spec)
                .withShards(1)));
        sendBoth(0, 1500);

        Map<String, Map<String, JsonNode>> byModel = predictionsByModel();
        assertThat(byModel.get(SHARDED)).hasSize(1500);
        for (Map.Entry<String, JsonNode> unsharded : byModel.get(UNSHARDED).entrySet()) {
            JsonNode sharded = byModel.get(SHARDED).get(unsharded.getKey());
            assertThat(sharded.get("prediction")).as(unsharded.getKey()).isEqualTo(unsharded.getValue().get("prediction"));
            assertThat(sharded.get("scores")).as(unsharded.getKey()).isEqualTo(unsharded.getValue().get("scores"));
        }
        Map<String, ModelSnapshot> snapshots = lastSnapshots();
        assertThat(snapshots.get(SHARDED).metadata().evaluation())
                .isEqualTo(snapshots.get(UNSHARDED).metadata().evaluation());
        assertThat(snapshots.get(SHARDED).metadata().labelsLearned()).isEqualTo(1500);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    /**
     * Three shards of a forest of six: one prediction per event, and at each publish every shard's state of that
     * version under {@code model#shard}; the three together (as the prediction server combines them) vote as the
     * trainer's shards did.
     */
    @Test
    void threeShardsPublishEveryShardOfAVersionAndTogetherVoteAsTheTrainerDid() throws Exception {
        ModelDefinition definition = new ModelDefinition(TestModels.schema().withModel(SHARDED),
                "meta.AdaptiveRandomForest -s 6").withShards(3);
        catalog.apply(DefinedModel.defined(definition));
        send(SHARDED, 0, 800);

        Map<String, ModelSnapshot> snapshots = lastSnapshots();
        ModelSnapshot model = snapshots.get(SHARDED);
        assertThat(model.metadata().eventsSeen()).isEqualTo(800);
        List<byte[]> shardStates = new ArrayList<>();
        for (int shard = 0; shard < 3; shard++) {
            ModelSnapshot state = snapshots.get(SHARDED + "#" + shard);
            assertThat(state.metadata().version()).as("shard %d", shard).isEqualTo(model.metadata().version());
            assertThat(state.metadata().eventsSeen()).isEqualTo(800);
            shardStates.add(state.learnerState());
        }
        ShardedEnsemble served = ShardedEnsemble.fromShards(definition.learnerSpec(), definition.schema(), shardStates);

        send(SHARDED, 800, 1);
        JsonNode next = predictionsByModel().get(SHARDED).get("e800");
        FeatureEncoder encoder = new FeatureEncoder(definition.schema());
        double[] features = encoder.encodeFeatures((com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(TestModels.event(800, true)).get("features"));
        double[] scores = served.predict(features).scores();
        assertThat(next.get("scores").get("yes").asDouble()).isEqualTo(scores[0]);
        assertThat(next.get("scores").get("no").asDouble()).isEqualTo(scores[1]);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    /**
     * An event whose id is that of an earlier event still waiting for its shards' votes is dead-lettered
     * ({@code duplicate_id}) and changes nothing: no step to the shards, the earlier event's wait and votes kept, not
     * counted as consumed. The driver answers every step within the same {@code pipeInput}, so the earlier event's
     * wait (one of its two shards has voted) is put into the store as the processor writes it.
     */
    @Test
    void anEventWhoseIdIsStillAwaitingVotesIsDeadLetteredAndChangesNothing() throws Exception {
        ModelDefinition definition = new ModelDefinition(TestModels.schema().withModel(SHARDED),
                "meta.OzaBag -s 4").withShards(2);
        catalog.apply(DefinedModel.defined(definition));
        send(SHARDED, 0, 10);
        assertThat(predictionsByModel().get(SHARDED)).hasSize(10);
        shardSteps.readRecordsToList();
        KeyValueStore<String, byte[]> awaited = driver.getKeyValueStore(TrainerTopology.AWAITED_VOTES_STORE);
        String key = TrainingProcessor.pendingKey(definition, "e10");
        long now = System.currentTimeMillis();
        byte[] waiting = AwaitedVotes.of(0, 3, now, now, 0).encode();
        awaited.put(key, waiting);
        double eventsBefore = counter("streamlearn.train.events", "model", SHARDED);
        double inlineBefore = registry.get("streamlearn.train.labels").tag("model", SHARDED)
                .tag("outcome", "inline").counter().count();

        events.pipeInput(SHARDED, bytes(TestModels.event(10, true), SHARDED));

        List<TestRecord<String, byte[]>> refused = deadLetters.readRecordsToList();
        assertThat(refused).hasSize(1);
        assertThat(header(refused.get(0), DeadLetterHeaders.REASON)).isEqualTo("duplicate_id");
        assertThat(header(refused.get(0), DeadLetterHeaders.DETAIL)).contains("'e10'", "waiting");
        assertThat(refused.get(0).value()).isEqualTo(bytes(TestModels.event(10, true), SHARDED));
        assertThat(shardSteps.isEmpty()).as("no step to the shards").isTrue();
        assertThat(predictions.isEmpty()).isTrue();
        assertThat(awaited.get(key)).as("the earlier event's wait").isEqualTo(waiting);
        assertThat(registry.get("streamlearn.train.dlq").tag("reason", "duplicate_id").tag("topic", "events")
                .counter().count()).isEqualTo(1);
        assertThat(counter("streamlearn.train.events", "model", SHARDED)).isEqualTo(eventsBefore);
        assertThat(registry.get("streamlearn.train.labels").tag("model", SHARDED).tag("outcome", "inline")
                .counter().count()).isEqualTo(inlineBefore);

        // Another id goes on as before: to both shards, and predicted from their votes.
        send(SHARDED, 11, 1);
        assertThat(shardSteps.readRecordsToList()).extracting(TestRecord::key)
                .contains(SHARDED + "#0", SHARDED + "#1");
        assertThat(predictionsByModel().get(SHARDED)).containsOnlyKeys("e11");
        assertThat(lastSnapshots().get(SHARDED).metadata().eventsSeen()).isEqualTo(11);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    /**
     * A deleted sharded model leaves no learned state behind: its shards' stores keep only their sequence and version
     * numbers (as a deleted model's do), and none of its events waits for votes any more. Defined again, its shards go
     * on with later versions in step with the model's, which servers need to put a version together.
     */
    @Test
    void aDeletedShardedModelsShardStatesAndAwaitedVotesAreDropped() throws Exception {
        ModelDefinition definition = new ModelDefinition(TestModels.schema().withModel(SHARDED), "meta.OzaBag -s 4")
                .withShards(2);
        ModelDefinition other = new ModelDefinition(TestModels.schema().withModel(OTHER), "meta.OzaBag -s 4")
                .withShards(2);
        catalog.apply(DefinedModel.defined(definition));
        catalog.apply(DefinedModel.defined(other));
        send(SHARDED, 0, 200);
        send(OTHER, 0, 10);
        long versionBefore = lastSnapshots().get(SHARDED).metadata().version();
        assertThat(storedShard(definition, 0).eventsSeen()).isEqualTo(200);
        assertThat(storedShard(definition, 1).eventsSeen()).isEqualTo(200);
        KeyValueStore<String, byte[]> awaited = driver.getKeyValueStore(TrainerTopology.AWAITED_VOTES_STORE);
        String waiting = awaitVotes(awaited, definition, "e7");
        String otherWaiting = awaitVotes(awaited, other, "e3");

        catalog.apply(DefinedModel.deletion(SHARDED, definition, 1, 2));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        for (int shard = 0; shard < 2; shard++) {
            OnlineModel stored = storedShard(definition, shard);
            assertThat(stored.eventsSeen()).as("shard %d", shard).isZero();
            assertThat(stored.labelsLearned()).isZero();
            assertThat(stored.version()).isEqualTo(versionBefore);
        }
        assertThat(awaited.get(waiting)).isNull();
        assertThat(awaited.get(otherWaiting)).as("another model's").isNotNull();
        assertThat(registry.find("streamlearn.train.events").tag("model", SHARDED + "#0").counter()).isNull();

        catalog.apply(DefinedModel.defined(definition.withGeneration(2).withVersion(3)));
        send(SHARDED, 200, 30);
        assertThat(versionInStep(2, 30)).isGreaterThan(versionBefore);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    /**
     * A sharded model started afresh (a new generation, here with fewer shards): its events of the old generation no
     * longer wait for votes (dropped at once, or when a late vote of theirs comes), its shards start afresh without
     * waiting for a step, and the shard the new generation no longer has is dropped as a deleted model's.
     */
    @Test
    void aResetDropsTheOldGenerationsAwaitedVotesAndRestartsOrRetiresItsShards() throws Exception {
        ModelDefinition three = new ModelDefinition(TestModels.schema().withModel(SHARDED),
                "meta.OzaBag -s 6").withShards(3);
        catalog.apply(DefinedModel.defined(three));
        send(SHARDED, 0, 100);
        KeyValueStore<String, byte[]> awaited = driver.getKeyValueStore(TrainerTopology.AWAITED_VOTES_STORE);
        String waiting = awaitVotes(awaited, three, "e7");

        ModelDefinition two = three.withShards(2).withGeneration(2).withVersion(2);
        catalog.apply(DefinedModel.defined(two));
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        assertThat(awaited.get(waiting)).isNull();
        assertThat(storedOrigin(0)).isEqualTo(2);
        assertThat(storedOrigin(1)).isEqualTo(2);
        assertThat(storedOrigin(2)).as("retired under its last generation").isEqualTo(1);
        assertThat(storedShard(three, 2).eventsSeen()).isZero();
        assertThat(storedShard(two, 0).eventsSeen()).isZero();

        // An event of the old generation that this task had not dropped (say, restored with the store) stops
        // waiting when a late sum of its generation comes; the sum is skipped and counted.
        String late = awaitVotes(awaited, three, "e8");
        double skipped = counter("streamlearn.train.shard.steps.skipped", "model", SHARDED);
        sums.pipeInput(SHARDED, new ShardSum(1, "e8", 0, 3, new double[] {1, 0}).encode());
        assertThat(awaited.get(late)).isNull();
        assertThat(counter("streamlearn.train.shard.steps.skipped", "model", SHARDED)).isEqualTo(skipped + 1);

        send(SHARDED, 100, 20);
        versionInStep(2, 20);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    /**
     * A model started afresh as sharded goes on with its version numbers while its new shards start at 0: they publish
     * under their model's number, or no server could ever put a version of it together (model and every shard of
     * {@code v}), and it would serve the unsharded model's last version for ever.
     */
    @Test
    void aModelStartedAfreshAsShardedPublishesItsShardsUnderItsOwnVersionNumbers() throws Exception {
        ModelDefinition whole = new ModelDefinition(TestModels.schema().withModel(SHARDED), "meta.OzaBag -s 4");
        catalog.apply(DefinedModel.defined(whole));
        send(SHARDED, 0, 50);
        send(SHARDED, 50, 50);
        long unshardedVersion = lastSnapshots().get(SHARDED).metadata().version();
        assertThat(unshardedVersion).isGreaterThan(1);

        ModelDefinition sharded = whole.withShards(2).withGeneration(2).withVersion(2);
        catalog.apply(DefinedModel.defined(sharded));
        send(SHARDED, 100, 20);
        long version = versionInStep(2, 20);
        assertThat(version).isGreaterThan(unshardedVersion);
        assertThat(storedShard(sharded, 0).version()).as("restored, as published").isEqualTo(version);
    }

    /**
     * The vote stage holds an event's votes until every shard's is in, whatever order they come in, adds them in shard
     * order and sends one sum, keyed by model, which the model's task predicts from. The votes here add up differently
     * in the order they come (floating-point addition is not associative), so only shard order passes.
     */
    @Test
    void theVoteStageAddsAnEventsVotesInShardOrderAndSendsOneSumToTheModelsTask() throws Exception {
        ModelDefinition definition = new ModelDefinition(TestModels.schema().withModel(SHARDED),
                "meta.OzaBag -s 6").withShards(3);
        catalog.apply(DefinedModel.defined(definition));
        KeyValueStore<String, byte[]> awaited = driver.getKeyValueStore(TrainerTopology.AWAITED_VOTES_STORE);
        KeyValueStore<String, byte[]> collected = driver.getKeyValueStore(TrainerTopology.COLLECTED_VOTES_STORE);
        String key = TrainingProcessor.pendingKey(definition, "e5");
        long now = System.currentTimeMillis();
        // The model's task waits for event e5 (offset 5 of partition 0, labelled "yes" inline).
        awaited.put(key, AwaitedVotes.of(0, 5, now, now, 0).encode());
        double[][] byShard = {{1e16, 0}, {1, 0}, {-1e16, 2}};
        double[] inShardOrder = ShardVotes.add(ShardVotes.add(ShardVotes.add(new double[0], byShard[0]), byShard[1]),
                byShard[2]);
        double[] asTheyCome = ShardVotes.add(ShardVotes.add(ShardVotes.add(new double[0], byShard[2]), byShard[0]),
                byShard[1]);
        assertThat(inShardOrder).as("the test's votes tell the orders apart").isNotEqualTo(asTheyCome);

        for (int shard : new int[] {2, 0}) {
            votes.pipeInput(key, new ShardVote(1, "e5", 0, 5, shard, 3, byShard[shard]).encode(), now);
            assertThat(sent.isEmpty()).as("no sum before every shard has voted").isTrue();
        }
        assertThat(collected.get(key)).as("the votes so far, held").isNotNull();
        votes.pipeInput(key, new ShardVote(1, "e5", 0, 5, 1, 3, byShard[1]).encode(), now);

        List<TestRecord<String, byte[]>> sums = sent.readRecordsToList();
        assertThat(sums).hasSize(1);
        assertThat(sums.get(0).key()).isEqualTo(SHARDED);
        ShardSum sum = ShardSum.decode(sums.get(0).value());
        assertThat(sum.votes()).containsExactly(inShardOrder);
        assertThat(sum.generation()).isEqualTo(1);
        assertThat(sum.id()).isEqualTo("e5");
        assertThat(sum.eventPartition()).isZero();
        assertThat(sum.eventOffset()).isEqualTo(5);
        assertThat(collected.get(key)).as("the vote stage's wait, ended").isNull();
        Map<String, JsonNode> predicted = predictionsByModel().get(SHARDED);
        assertThat(predicted).containsOnlyKeys("e5");
        assertThat(predicted.get("e5").get("scores").get("yes").asDouble()).isEqualTo(inShardOrder[0] / 2);
        assertThat(predicted.get("e5").get("scores").get("no").asDouble()).isEqualTo(inShardOrder[1] / 2);
        assertThat(awaited.get(key)).as("the model's task's wait, ended").isNull();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    /**
     * A vote of a generation started afresh since is skipped and counted by the vote stage, and ends its event's wait
     * there: no sum goes to the model's task. A wait of that generation that no late vote ends is dropped at the next
     * snapshot interval, so the vote stage's store does not fill with events that will never complete.
     */
    @Test
    void theVoteStageDropsVotesAndWaitsOfAGenerationStartedAfresh() {
        ModelDefinition three = new ModelDefinition(TestModels.schema().withModel(SHARDED),
                "meta.OzaBag -s 6").withShards(3);
        catalog.apply(DefinedModel.defined(three));
        KeyValueStore<String, byte[]> collected = driver.getKeyValueStore(TrainerTopology.COLLECTED_VOTES_STORE);
        String ended = TrainingProcessor.pendingKey(three, "e7");
        String forgotten = TrainingProcessor.pendingKey(three, "e8");
        long now = System.currentTimeMillis();
        votes.pipeInput(ended, new ShardVote(1, "e7", 0, 7, 0, 3, new double[] {1, 0}).encode(), now);
        votes.pipeInput(forgotten, new ShardVote(1, "e8", 0, 8, 0, 3, new double[] {1, 0}).encode(), now);
        assertThat(collected.get(ended)).isNotNull();
        assertThat(collected.get(forgotten)).isNotNull();

        catalog.apply(DefinedModel.defined(three.withGeneration(2).withVersion(2)));
        double skipped = counter("streamlearn.train.shard.steps.skipped", "model", SHARDED);
        votes.pipeInput(ended, new ShardVote(1, "e7", 0, 7, 1, 3, new double[] {0, 1}).encode(), now);
        assertThat(collected.get(ended)).isNull();
        votes.pipeInput(ended, new ShardVote(1, "e7", 0, 7, 2, 3, new double[] {0, 1}).encode(), now);
        assertThat(collected.get(ended)).isNull();
        assertThat(counter("streamlearn.train.shard.steps.skipped", "model", SHARDED)).isEqualTo(skipped + 2);
        assertThat(sent.isEmpty()).as("no sum of the old generation").isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(collected.get(forgotten)).isNull();
        assertThat(predictions.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    /**
     * Events {@code from} to {@code from + count - 1} (an even count) to both models: even ones labelled inline, odd
     * ones by a label after the next event.
     */
    private void sendBoth(int from, int count) {
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

    private void send(String model, int from, int count) {
        for (int i = from; i < from + count; i++) {
            events.pipeInput(model, bytes(TestModels.event(i, true), model));
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
    }

    private static byte[] bytes(String json, String model) {
        return json.replace("\"model\":\"" + TestModels.MODEL + "\"", "\"model\":\"" + model + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, Map<String, JsonNode>> predictionsByModel() throws Exception {
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
    private long versionInStep(int shards, long eventsSeen) {
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
    private static String awaitVotes(KeyValueStore<String, byte[]> awaited, ModelDefinition definition, String id) {
        String key = TrainingProcessor.pendingKey(definition, id);
        long now = System.currentTimeMillis();
        awaited.put(key, AwaitedVotes.of(0, 3, now, now, 0).encode());
        return key;
    }

    /** The shard as its task would restore it now from the shard stores. */
    private OnlineModel storedShard(ModelDefinition definition, int shard) {
        return shardStores().load(definition.shard(shard)).model();
    }

    /** The generation of the shard's checkpoint in the shard stores. */
    private long storedOrigin(int shard) {
        byte[] checkpoint = ChunkedRecords.read(driver.getKeyValueStore(TrainerTopology.SHARD_CHECKPOINT_STORE),
                SHARDED + "#" + shard, BlobChunking.defaults()).orElseThrow();
        return OnlineModel.origin(checkpoint).orElseThrow().generation();
    }

    private ModelStateStores shardStores() {
        return new ModelStateStores(driver.getKeyValueStore(TrainerTopology.SHARD_CHECKPOINT_STORE),
                driver.getKeyValueStore(TrainerTopology.SHARD_JOURNAL_STORE), config.checkpointMaxRecords(),
                config.evaluationWindow(), config.fadingFactor(), config.chunking());
    }

    /** The counter's count, 0 before its first increment. */
    private double counter(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private Map<String, ModelSnapshot> lastSnapshots() {
        Map<String, ModelSnapshot> last = new HashMap<>();
        for (TestRecord<String, byte[]> record : models.readRecordsToList()) {
            chunks.accept(record.key(), record.value())
                    .ifPresent(blob -> last.put(blob.key(), ModelSnapshotCodec.decode(blob.value())));
        }
        return last;
    }
}
