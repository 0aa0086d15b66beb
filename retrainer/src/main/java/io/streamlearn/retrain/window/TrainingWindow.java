package io.streamlearn.retrain.window;

import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.core.schema.FeatureSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The labelled rows of one run in stream order (event time, then partition and offset), encoded by core's
 * {@link io.streamlearn.core.features.FeatureEncoder} exactly as the online trainer encodes them; the schema's
 * transforms are left to the learner, as online.
 *
 * @param features     one row per labelled event
 * @param labels       class indexes or target values
 * @param times        the events' timestamps, epoch milliseconds
 * @param skippedRows  events of the model in the ranges that the schema refused (bad features or label)
 * @param unlabelled   events of the model in the ranges with no label in the label ranges
 * @param widened      whether a since-drift window was widened back to reach the minimum rows
 * @param sources      per row, where it was read and its raw feature values as the drift monitor takes them
 *                     ({@link io.streamlearn.core.event.RawFeatures}); {@code null} for a row the monitor would refuse
 * @param recorded     per row, the online model's prediction for it as the trainer made it before learning it (on
 *                     {@code predictions}); {@code null} where none was found
 */
public record TrainingWindow(FeatureSchema schema, double[][] features, double[] labels, long[] times,
        DataVersion dataVersion, long skippedRows, long unlabelled, boolean widened, List<TrainingReference.Row> sources,
        List<Prediction> recorded) {

    public TrainingWindow {
        // Entries may be null (rows the monitor refuses, rows without a recorded prediction), which List.copyOf does
        // not take.
        sources = Collections.unmodifiableList(new ArrayList<>(sources));
        recorded = Collections.unmodifiableList(new ArrayList<>(recorded));
        if (sources.size() != labels.length || recorded.size() != labels.length) {
            throw new IllegalArgumentException(sources.size() + " sources and " + recorded.size()
                    + " recorded predictions for " + labels.length + " rows");
        }
    }

    public int size() {
        return labels.length;
    }

    /**
     * The drift monitor's reference for a model trained on this window: the newest {@code maxRows} of the first
     * {@code trainRows} rows (the train split: rows are in time order and the split cuts them by time without
     * shuffling), those the monitor would refuse left out.
     */
    public List<TrainingReference.Row> referenceRows(int trainRows, int maxRows) {
        List<TrainingReference.Row> train = sources.subList(0, Math.min(trainRows, sources.size())).stream()
                .filter(Objects::nonNull).toList();
        return train.subList(Math.max(0, train.size() - maxRows), train.size());
    }
}
