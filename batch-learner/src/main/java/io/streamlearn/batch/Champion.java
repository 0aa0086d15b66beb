package io.streamlearn.batch;

import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.ModelMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A model the challenger must beat on the test split: the online learner's latest snapshot or the last promoted batch
 * model. The learner is only asked to {@link OnlineLearner#predict} (on the window's encoded rows; its own pipeline
 * transforms them), from the pipeline's thread: pass a restored copy, not one that is learning elsewhere.
 *
 * <p>The online model's newest snapshot has learned the test rows, so its predictions for them are in-sample: an
 * adaptive random forest's snapshot scored 0.976 on a retrain's test rows, the predictions it had served for them 0.840
 * (docs/retraining.md, "What a run does"). Where the
 * predictions it made for a row before learning it are known ({@code recorded}, from the {@code predictions} topic),
 * the row is scored by those instead, as it would have been served.
 *
 * @param label    a short name for reports and the gate ({@code online}, {@code batch})
 * @param recorded per row of the window, the prediction the champion made for it before learning it; {@code null}
 *                 (the list, or an entry) where none is known, and the learner predicts the row
 */
public record Champion(String label, ModelMetadata metadata, OnlineLearner learner, List<Prediction> recorded) {

    public Champion {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(learner, "learner");
        // Entries may be null (rows without a recorded prediction), which List.copyOf does not take.
        recorded = recorded == null ? null : Collections.unmodifiableList(new ArrayList<>(recorded));
    }

    public Champion(String label, ModelMetadata metadata, OnlineLearner learner) {
        this(label, metadata, learner, null);
    }

    /** The recorded prediction for row {@code row} of the window, or {@code null}. */
    Prediction recorded(int row) {
        return recorded == null ? null : recorded.get(row);
    }
}
