package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlearn.core.learn.ShardVotes;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.model.AwaitedVotes;
import io.streamlearn.trainer.model.ShardSum;
import io.streamlearn.trainer.model.ShardVote;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The vote stage between the shards and the model's task: an event's votes held until all are in, added in shard
 * order, one sum sent; votes of a generation started afresh dropped.
 */
class VoteStageTest extends ShardedTopologyFixture {

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
}
