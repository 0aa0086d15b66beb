package io.streamlearn.core.learn;

/**
 * A learner that can say why it predicted what it did. Online MOA learners are not: the prediction server answers
 * {@code 501 explain_not_supported} for them.
 */
public interface ExplainableLearner extends OnlineLearner {

    /** The explanation of one encoded instance (as {@link #predict} takes it). */
    Explanation explain(double[] features);
}
