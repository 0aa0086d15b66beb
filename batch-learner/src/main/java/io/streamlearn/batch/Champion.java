package io.streamlearn.batch;

import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelMetadata;
import java.util.Objects;

/**
 * A model the challenger must beat on the test split: the online learner's latest snapshot or the last promoted batch
 * model. The learner is only asked to {@link OnlineLearner#predict} (on the window's encoded rows; its own pipeline
 * transforms them), from the pipeline's thread: pass a restored copy, not one that is learning elsewhere.
 *
 * @param label a short name for reports and the gate ({@code online}, {@code batch})
 */
public record Champion(String label, ModelMetadata metadata, OnlineLearner learner) {

    public Champion {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(learner, "learner");
    }
}
