package io.streamlearn.core.learn;

import moa.core.Utils;

/**
 * The ensemble's answer from its members' raw votes, as MOA's evaluators read a classifier's votes: the arg-max of
 * the raw votes (first index on ties, 0 when there are none), with the votes normalised into one score per class.
 * The one place that turns votes into a prediction, so an unsharded learner, the trainer's vote stage and the
 * prediction server answer alike.
 */
public final class ShardVotes {

    private ShardVotes() {
    }

    public static Prediction prediction(double[] votes, int classCount) {
        int predicted = votes.length == 0 ? 0 : Utils.maxIndex(votes);
        double[] scores = new double[classCount];
        double sum = 0;
        for (int i = 0; i < Math.min(votes.length, classCount); i++) {
            sum += votes[i];
        }
        if (sum > 0) {
            for (int i = 0; i < Math.min(votes.length, classCount); i++) {
                scores[i] = votes[i] / sum;
            }
        }
        return new Prediction(predicted, scores);
    }

    /** {@code into} plus {@code votes}, class by class (the arrays may differ in length, as MOA's do). */
    public static double[] add(double[] into, double[] votes) {
        double[] sum = into.length >= votes.length ? into.clone() : java.util.Arrays.copyOf(into, votes.length);
        for (int i = 0; i < votes.length; i++) {
            sum[i] += votes[i];
        }
        return sum;
    }
}
