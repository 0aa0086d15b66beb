package io.streamlearn.core.model;

import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.schema.FeatureSchema;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable provenance of one model version, written once with its snapshot and never changed.
 *
 * @param version        1 for the first snapshot of a model, then one more for each
 * @param inputOffsets   for each input partition ({@code "events-0"}), the next offset not yet covered: the snapshot
 *                       reflects every record before it
 * @param eventsSeen     events of this model processed (predicted) when the snapshot was taken
 * @param labelsLearned  labelled instances the learner has trained on
 * @param createdAt      epoch milliseconds
 */
public record ModelMetadata(
        String model,
        long version,
        String learnerSpec,
        FeatureSchema schema,
        Map<String, Long> inputOffsets,
        long eventsSeen,
        long labelsLearned,
        Evaluation evaluation,
        long createdAt,
        int formatVersion) {

    public ModelMetadata {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(learnerSpec, "learnerSpec");
        Objects.requireNonNull(schema, "schema");
        inputOffsets = Map.copyOf(inputOffsets);
    }
}
