package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.ShardedEnsemble;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.model.AwaitedVotes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Sharded ensembles through the trainer's topology: events fanned out to the shards, votes added up by the vote stage,
 * predictions and scores from their sum in the model's task, and every shard of a version published.
 */
class ShardedTrainingTopologyTest extends ShardedTopologyFixture {

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
}
