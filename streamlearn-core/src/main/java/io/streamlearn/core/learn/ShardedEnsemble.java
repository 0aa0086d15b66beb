package io.streamlearn.core.learn;

import io.streamlearn.core.schema.FeatureSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A sharded ensemble in one place: its shards' learners side by side, each learning every instance, their votes
 * added up into the ensemble's prediction ({@link ShardVotes}). The prediction server serves a sharded model's
 * version as one of these; the trainer runs the same shards in separate tasks and adds their votes in its vote stage.
 */
public final class ShardedEnsemble implements OnlineLearner {

    private final String spec;
    private final List<OnlineLearner> shards;
    private final int classCount;

    private ShardedEnsemble(String spec, List<OnlineLearner> shards, int classCount) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("a sharded ensemble needs at least one shard");
        }
        this.spec = spec;
        this.shards = List.copyOf(shards);
        this.classCount = classCount;
    }

    /** A fresh ensemble of {@code shards} shards, as the trainer's shards start. */
    public static ShardedEnsemble create(String spec, FeatureSchema schema, int shards) {
        List<OnlineLearner> learners = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            learners.add(LearnerFactory.createShard(spec, schema, shard, shards));
        }
        return new ShardedEnsemble(spec, learners, schema.target().values().size());
    }

    /** The ensemble whose shards' snapshots these are, in shard order. */
    public static ShardedEnsemble fromShards(String spec, FeatureSchema schema, List<byte[]> shardSnapshots) {
        List<OnlineLearner> learners = new ArrayList<>();
        for (byte[] snapshot : shardSnapshots) {
            learners.add(LearnerFactory.restoreShard(spec, schema, snapshot));
        }
        return new ShardedEnsemble(spec, learners, schema.target().values().size());
    }

    /** The ensemble a {@link #snapshot()} holds. */
    public static ShardedEnsemble restore(String spec, FeatureSchema schema, byte[] snapshot) {
        List<byte[]> shardSnapshots = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int count = in.readInt();
            if (count < 1 || count > EnsembleShards.MAX_SHARDS) {
                throw new IllegalArgumentException("a sharded ensemble's snapshot declares " + count + " shards");
            }
            for (int shard = 0; shard < count; shard++) {
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    throw new IllegalArgumentException("shard " + shard + " of a sharded ensemble's snapshot is cut");
                }
                shardSnapshots.add(in.readNBytes(length));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("a sharded ensemble's snapshot is unreadable", e);
        }
        return fromShards(spec, schema, shardSnapshots);
    }

    public int shardCount() {
        return shards.size();
    }

    @Override
    public Prediction predict(double[] features) {
        return ShardVotes.prediction(votes(features), classCount);
    }

    @Override
    public double[] votes(double[] features) {
        double[] sum = new double[0];
        for (OnlineLearner shard : shards) {
            sum = ShardVotes.add(sum, shard.votes(features));
        }
        return sum;
    }

    @Override
    public void learn(double[] features, double label) {
        for (OnlineLearner shard : shards) {
            shard.learn(features, label);
        }
    }

    @Override
    public void observe(double[] features) {
        for (OnlineLearner shard : shards) {
            shard.observe(features);
        }
    }

    @Override
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(shards.size());
            for (OnlineLearner shard : shards) {
                byte[] snapshot = shard.snapshot();
                out.writeInt(snapshot.length);
                out.write(snapshot);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public String spec() {
        return spec;
    }
}
