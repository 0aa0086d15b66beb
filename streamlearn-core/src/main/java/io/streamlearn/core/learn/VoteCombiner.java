package io.streamlearn.core.learn;

import java.nio.ByteBuffer;

/**
 * The trainer-side learner of a sharded model: it holds no members (its shards do) and "predicts" from the sum of
 * the shards' votes for an event, which the vote stage passes as the features. It learns nothing; the model's
 * prequential evaluation and counters, kept around it, are what make the sharded model's state.
 */
final class VoteCombiner implements OnlineLearner {

    private final String spec;
    private final int classCount;

    VoteCombiner(String spec, int classCount) {
        this.spec = spec;
        this.classCount = classCount;
    }

    static VoteCombiner restore(String spec, byte[] snapshot) {
        return new VoteCombiner(spec, ByteBuffer.wrap(snapshot).getInt());
    }

    /** @param summedVotes the shards' votes for one event, added up */
    @Override
    public Prediction predict(double[] summedVotes) {
        return ShardVotes.prediction(summedVotes, classCount);
    }

    @Override
    public void learn(double[] summedVotes, double label) {
        // The shards learn; this side only evaluates what their combined vote predicted.
    }

    @Override
    public byte[] snapshot() {
        return ByteBuffer.allocate(Integer.BYTES).putInt(classCount).array();
    }

    @Override
    public String spec() {
        return spec;
    }
}
