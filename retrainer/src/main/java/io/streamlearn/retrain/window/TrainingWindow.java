package io.streamlearn.retrain.window;

import io.streamlearn.core.schema.FeatureSchema;

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
 */
public record TrainingWindow(FeatureSchema schema, double[][] features, double[] labels, long[] times,
        DataVersion dataVersion, long skippedRows, long unlabelled, boolean widened) {

    public int size() {
        return labels.length;
    }
}
