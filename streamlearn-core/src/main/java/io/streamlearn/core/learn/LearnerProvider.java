package io.streamlearn.core.learn;

import io.streamlearn.core.schema.FeatureSchema;

/**
 * Restores learners that MOA does not make (e.g. the retrainer's XGBoost models), found with {@link
 * java.util.ServiceLoader}: {@link LearnerFactory#restore} asks each provider whether it {@link #owns} a spec before
 * it treats the spec as MOA's. A module on the classpath that registers one (in
 * {@code META-INF/services/io.streamlearn.core.learn.LearnerProvider}) is all that serving, the trainer and the tests
 * need to load its snapshots.
 */
public interface LearnerProvider {

    /** Whether this provider made the learner of this spec (e.g. a spec that starts with {@code xgboost}). */
    boolean owns(String spec);

    /**
     * A learner equal to the one whose {@link OnlineLearner#snapshot()} gave these bytes.
     *
     * @throws IllegalArgumentException when the bytes are not such a snapshot
     */
    OnlineLearner restore(String spec, FeatureSchema schema, byte[] snapshot);
}
