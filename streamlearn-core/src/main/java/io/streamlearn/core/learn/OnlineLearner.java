package io.streamlearn.core.learn;

/**
 * An incremental learner over the dense vectors of {@link io.streamlearn.core.features.FeatureEncoder}. The only
 * seam between streamlearn and the library that learns (MOA today); everything else speaks this interface.
 * Implementations are not thread-safe.
 */
public interface OnlineLearner {

    Prediction predict(double[] features);

    /**
     * The classifier's raw votes for one instance, one per class (possibly fewer, as MOA gives them), before they
     * are normalised into {@link Prediction#scores()}: what the shards of a sharded ensemble add up.
     *
     * @throws UnsupportedOperationException for a learner that does not vote (regressors, detectors, clusterers)
     */
    default double[] votes(double[] features) {
        throw new UnsupportedOperationException("learner '" + spec() + "' does not vote");
    }

    /**
     * @param label a class index or a target value; an unsupervised learner ignores it (the label only evaluates it)
     */
    void learn(double[] features, double label);

    /**
     * Learns what needs no label from one event: a feature pipeline's statistics, and the whole model of an
     * unsupervised learner (anomaly detector, clusterer). Called once per event, after its prediction and any
     * learning from its inline label. Nothing for a bare supervised learner.
     */
    default void observe(double[] features) {
    }

    /**
     * The clusters a clustering learner has found, in id order (the ids its predictions carry); empty for every other
     * learner and before the first clustering.
     */
    default java.util.List<ClusterSummary> clusters() {
        return java.util.List.of();
    }

    /** The learner's complete state; {@link LearnerFactory#restore} turns it back into an equal learner. */
    byte[] snapshot();

    /** The CLI specification the learner was built from, e.g. {@code trees.HoeffdingTree -g 100}. */
    String spec();
}
