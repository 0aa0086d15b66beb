package io.streamlearn.core.learn;

import io.streamlearn.core.features.FeaturePipeline;
import java.io.Serializable;

/**
 * A learner behind the schema's feature pipeline: it predicts and learns on transformed rows, and its snapshot holds
 * the pipeline's learned state with the learner's, so everything that restores a snapshot (trainer recovery, the
 * prediction server, batch use) transforms exactly as the trainer did.
 */
final class PipelineLearner implements OnlineLearner {

    /** What a snapshot holds: the pipeline (with its statistics) and the inner learner's own snapshot. */
    record State(FeaturePipeline pipeline, byte[] learner) implements Serializable {
    }

    private final FeaturePipeline pipeline;
    private final OnlineLearner learner;
    // A supervised MOA learner learns nothing from observe: skip the second transform on the hot path.
    private final boolean trainsOnObserve;

    PipelineLearner(FeaturePipeline pipeline, OnlineLearner learner) {
        this.pipeline = pipeline;
        this.learner = learner;
        this.trainsOnObserve = !(learner instanceof MoaLearner);
    }

    @Override
    public Prediction predict(double[] features) {
        return learner.predict(pipeline.transform(features));
    }

    @Override
    public double[] votes(double[] features) {
        return learner.votes(pipeline.transform(features));
    }

    @Override
    public void learn(double[] features, double label) {
        learner.learn(pipeline.transform(features), label);
    }

    /** The inner learner observes the row as it predicted it, before the pipeline's statistics move. */
    @Override
    public void observe(double[] features) {
        if (trainsOnObserve) {
            learner.observe(pipeline.transform(features));
        }
        pipeline.learn(features);
    }

    @Override
    public java.util.List<ClusterSummary> clusters() {
        return learner.clusters();
    }

    @Override
    public byte[] snapshot() {
        return SafeSerialization.serialize(new State(pipeline, learner.snapshot()));
    }

    @Override
    public String spec() {
        return learner.spec();
    }
}
