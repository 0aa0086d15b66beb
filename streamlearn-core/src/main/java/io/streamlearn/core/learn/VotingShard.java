package io.streamlearn.core.learn;

/**
 * One shard of a sharded ensemble in the trainer: it learns as its members would, and answers with their raw votes
 * as the prediction's scores (not normalised: the vote stage adds the shards' votes, then turns the sum into the
 * model's prediction with {@link ShardVotes#prediction}).
 */
final class VotingShard implements OnlineLearner {

    private final OnlineLearner members;

    VotingShard(OnlineLearner members) {
        this.members = members;
    }

    @Override
    public Prediction predict(double[] features) {
        double[] votes = members.votes(features);
        return new Prediction(votes.length == 0 ? 0 : moa.core.Utils.maxIndex(votes), votes);
    }

    @Override
    public double[] votes(double[] features) {
        return members.votes(features);
    }

    @Override
    public void learn(double[] features, double label) {
        members.learn(features, label);
    }

    @Override
    public void observe(double[] features) {
        members.observe(features);
    }

    @Override
    public byte[] snapshot() {
        return members.snapshot();
    }

    @Override
    public String spec() {
        return members.spec();
    }
}
