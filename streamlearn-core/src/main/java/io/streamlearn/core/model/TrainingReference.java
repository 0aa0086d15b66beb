package io.streamlearn.core.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The feature values a batch model version was trained on, for the drift monitor's reference: the newest rows of its
 * train split, in stream order, each with where it was read and its raw values ({@link
 * io.streamlearn.core.event.RawFeatures}). The retrainer publishes it with the promotion (docs/drift.md, section 8).
 *
 * @param version the batch version ({@link ModelMetadata#version()}) whose training window this is
 */
public record TrainingReference(String model, long version, List<Row> rows) {

    /**
     * The key of a batch model's provenance that says its training reference was published with it (its rows and
     * time span as the value): the monitor waits for a reference only when the model says there is one.
     */
    public static final String PROVENANCE_KEY = "driftReference";

    public TrainingReference {
        Objects.requireNonNull(model, "model");
        rows = List.copyOf(rows);
    }

    /**
     * One training row.
     *
     * @param values feature name to a {@code Double}, a {@code String} or {@code null} (missing)
     */
    public record Row(int partition, long offset, long timestamp, Map<String, Object> values) {

        public Row {
            // Values may be null (a missing feature), which Map.copyOf refuses.
            values = Collections.unmodifiableMap(new HashMap<>(values));
        }
    }
}
