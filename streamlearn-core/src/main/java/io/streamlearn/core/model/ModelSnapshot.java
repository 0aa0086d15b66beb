package io.streamlearn.core.model;

import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;

/** A model version: its metadata and the learner's state, as published on the {@code models} topic. */
public record ModelSnapshot(ModelMetadata metadata, byte[] learnerState) {

    /** A fresh learner equal to the one that was snapshotted; decoding can be slow for large ensembles. */
    public OnlineLearner restoreLearner() {
        return LearnerFactory.restore(metadata.learnerSpec(), metadata.schema(), learnerState);
    }
}
