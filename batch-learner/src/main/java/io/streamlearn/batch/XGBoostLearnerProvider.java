package io.streamlearn.batch;

import io.streamlearn.core.learn.LearnerProvider;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.schema.FeatureSchema;

/** Lets {@link io.streamlearn.core.learn.LearnerFactory#restore} load batch models (specs {@code xgboost ...}). */
public final class XGBoostLearnerProvider implements LearnerProvider {

    @Override
    public boolean owns(String spec) {
        return spec != null && (spec.equals(XGBoostLearner.SPEC_PREFIX) || spec.startsWith(XGBoostLearner.SPEC_PREFIX + " "));
    }

    @Override
    public OnlineLearner restore(String spec, FeatureSchema schema, byte[] snapshot) {
        return XGBoostLearner.restore(spec, schema, snapshot);
    }
}
