package io.streamlearn.core.learn;

/**
 * An incremental learner over the dense vectors of {@link io.streamlearn.core.features.FeatureEncoder}. The only
 * seam between streamlearn and the library that learns (MOA today); everything else speaks this interface.
 * Implementations are not thread-safe.
 */
public interface OnlineLearner {

    Prediction predict(double[] features);

    /**
     * @param label a class index or a target value
     */
    void learn(double[] features, double label);

    /**
     * Learns what needs no label (a feature pipeline's statistics) from one event; called once per event, after its
     * prediction and any learning from its inline label. Nothing for a bare learner.
     */
    default void observe(double[] features) {
    }

    /** The learner's complete state; {@link LearnerFactory#restore} turns it back into an equal learner. */
    byte[] snapshot();

    /** The CLI specification the learner was built from, e.g. {@code trees.HoeffdingTree -g 100}. */
    String spec();
}
