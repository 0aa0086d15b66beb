package io.streamlearn.batch;

import io.streamlearn.core.schema.FeatureSchema;
import java.util.List;
import java.util.Objects;

/**
 * The labelled events a batch model is trained on, in stream order.
 *
 * @param schema   the model's schema, transforms included (the pipeline is fitted on the training rows)
 * @param features one row per event exactly as {@link io.streamlearn.core.features.FeatureEncoder#encodeFeatures}
 *                 gives it: the pipeline's input, not its output
 * @param labels   per row a class index or target value as {@code FeatureEncoder.encodeLabel} gives it; {@code NaN}
 *                 for an event without a label (dropped before the split and counted)
 * @param times    per row the event time in epoch milliseconds; the split into train, validation and test follows it
 */
public record LabeledWindow(FeatureSchema schema, List<double[]> features, double[] labels, long[] times) {

    public LabeledWindow {
        Objects.requireNonNull(schema, "schema");
        features = List.copyOf(features);
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(times, "times");
        if (labels.length != features.size() || times.length != features.size()) {
            throw new RetrainException(RetrainException.Reason.BAD_DATA, "window has " + features.size()
                    + " rows but " + labels.length + " labels and " + times.length + " times");
        }
        int width = schema.features().size();
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i).length != width) {
                throw new RetrainException(RetrainException.Reason.BAD_DATA, "row " + i + " has "
                        + features.get(i).length + " values, schema '" + schema.model() + "' declares " + width);
            }
        }
    }

    public int size() {
        return features.size();
    }
}
