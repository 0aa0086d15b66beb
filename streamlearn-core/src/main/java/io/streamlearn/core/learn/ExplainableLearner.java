package io.streamlearn.core.learn;

/**
 * A learner that can say why it predicted what it did. Online MOA learners are not: the prediction server answers
 * {@code 501 explain_not_supported} for them.
 */
public interface ExplainableLearner extends OnlineLearner {

    /** The explanation of one encoded instance (as {@link #predict} takes it). */
    Explanation explain(double[] features);

    /**
     * An independent learner equal to this one, sharing no mutable state with it, so that explanations (hundreds of
     * predictions' worth of work each) run on the copy under a lock of their own while predictions use this one.
     */
    ExplainableLearner copy();
}
