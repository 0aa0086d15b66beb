package io.streamlearn.core.eval;

import io.streamlearn.core.learn.Prediction;

/**
 * The evaluator of a shard of a sharded ensemble: a shard's votes are a part of the model's prediction, not a
 * prediction, so the shard scores nothing and its model's vote stage scores the combined prediction.
 */
final class Unscored implements PrequentialEvaluator {

    private static final long serialVersionUID = 1L;

    @Override
    public void record(double label, Prediction prediction) {
        // A shard's votes are scored only once added to the other shards' (the model's evaluation).
    }

    @Override
    public Evaluation evaluation() {
        return new Evaluation(0, null, null, null, null, null, null, null, null, null, null, null);
    }
}
