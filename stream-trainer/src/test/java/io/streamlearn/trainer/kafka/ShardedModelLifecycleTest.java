package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TestModels;
import io.streamlearn.trainer.model.OnlineModel;
import io.streamlearn.trainer.model.ShardSum;
import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A sharded model deleted, started afresh with fewer shards, or started afresh as sharded: nothing of the old
 * generation stays, and its shards go on in step with the model's version numbers (docs/sharding.md).
 */
class ShardedModelLifecycleTest extends ShardedTopologyFixture {

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
}
