package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import java.io.Serializable;
import java.util.List;

/**
 * One step of a {@link FeaturePipeline}: maps the columns before it to the columns after it, and learns what it needs
 * (means, quantiles, counts) online. Serializable: its state is checkpointed and snapshotted with the learner.
 */
interface FeatureTransform extends Serializable {

    /** The columns after this step, given the columns before it (checked once, when the pipeline is built). */
    List<FeatureSpec> outputs();

    /** The row after this step, with what the step has learned so far; does not change the step. */
    double[] apply(double[] row);

    /** Learns from one row as it reaches this step. */
    void learn(double[] row);
}
