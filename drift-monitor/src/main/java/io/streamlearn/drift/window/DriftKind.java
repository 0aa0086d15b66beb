package io.streamlearn.drift.window;

import java.util.Locale;

/** What drifted: the inputs, the model's outputs, or the relation between inputs and label. */
public enum DriftKind {
    FEATURE, PREDICTION, CONCEPT;

    /** The name in JSON and metric tags: {@code feature}, {@code prediction}, {@code concept}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
