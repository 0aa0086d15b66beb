package io.streamlearn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.ShardedEnsemble;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A sharded model's version is served only whole: its own snapshot and every shard's state of that version. */
class ShardAssemblerTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema("forest",
            FeatureSpec.nominal("label", List.of("a", "b")),
            List.of(FeatureSpec.numeric("x"), FeatureSpec.numeric("y")));
    private static final String SPEC = "meta.OzaBag -s 6";

    private final List<OnlineLearner> shards = new ArrayList<>();
    private final Random random = new Random(7);

    @Test
    void aVersionIsAssembledWhenItsSnapshotAndEveryShardAreInWhateverTheOrder() {
        for (int shard = 0; shard < 3; shard++) {
            shards.add(LearnerFactory.createShard(SPEC, SCHEMA, shard, 3));
        }
        ShardAssembler assembler = new ShardAssembler();
        learn(300);
        assertThat(assembler.accept("forest#2", shardState(2, 1))).isEmpty();
        assertThat(assembler.accept("forest", model(1))).isEmpty();
        assertThat(assembler.accept("forest#0", shardState(0, 1))).isEmpty();
        learn(300);
        assertThat(assembler.accept("forest#0", shardState(0, 2))).as("version 2 begins, 1 still open").isEmpty();
        Optional<ModelSnapshot> first = assembler.accept("forest#1", shardState(1, 1));
        assertThat(first).hasValueSatisfying(snapshot -> assertThat(snapshot.metadata().version()).isEqualTo(1));

        assertThat(assembler.accept("forest", model(2))).isEmpty();
        assertThat(assembler.accept("forest#2", shardState(2, 2))).isEmpty();
        assertThat(assembler.accept("forest#1", shardState(1, 1))).as("a version already assembled").isEmpty();
        Optional<ModelSnapshot> second = assembler.accept("forest#1", shardState(1, 2));
        assertThat(second).isPresent();

        ShardedEnsemble served = (ShardedEnsemble) second.get().restoreLearner();
        assertThat(served.shardCount()).isEqualTo(3);
        for (int i = 0; i < 50; i++) {
            double[] features = {random.nextGaussian(), random.nextGaussian()};
            double[] sum = new double[0];
            for (OnlineLearner shard : shards) {
                sum = io.streamlearn.core.learn.ShardVotes.add(sum, shard.votes(features));
            }
            assertThat(served.votes(features)).containsExactly(sum);
        }
    }

    @Test
    void unshardedSnapshotsPassThroughAndAShardKeyMustFitItsSnapshot() {
        ShardAssembler assembler = new ShardAssembler();
        ModelSnapshot plain = new ModelSnapshot(metadata("forest", 3, 0), new byte[] {1});
        assertThat(assembler.accept("forest", plain)).containsSame(plain);
        assertThatThrownBy(() -> assembler.accept("forest#5", new ModelSnapshot(metadata("forest#5", 1, 3),
                new byte[0]))).hasMessageContaining("names shard 5 but the snapshot is of 3 shards");
    }

    private void learn(int rows) {
        for (int i = 0; i < rows; i++) {
            double x = random.nextGaussian();
            double[] features = {x, random.nextGaussian()};
            for (OnlineLearner shard : shards) {
                shard.learn(features, x > 0 ? 0 : 1);
            }
        }
    }

    private ModelSnapshot shardState(int shard, long version) {
        return new ModelSnapshot(metadata("forest#" + shard, version, 3), shards.get(shard).snapshot());
    }

    private static ModelSnapshot model(long version) {
        return new ModelSnapshot(metadata("forest", version, 3), new byte[] {0, 0, 0, 2});
    }

    private static ModelMetadata metadata(String name, long version, int shardCount) {
        return new ModelMetadata(name, version, SPEC, SCHEMA, Map.of(), 0, 0, null, 0, 1).withShards(shardCount);
    }
}
