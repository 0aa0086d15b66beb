package io.streamlearn.retrain.run;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A run is {@link #RUNNING} until it ends in one of the final statuses, after which its record never changes. */
public enum RunStatus {
    RUNNING,
    /** Trained and evaluated; promotion is switched off ({@code retrain.promote=false}), so nothing was published. */
    SUCCEEDED,
    /** Won the gate; its model is published and pinned. */
    PROMOTED,
    /** Lost the gate; nothing was published. */
    REJECTED,
    /** Could not train (too few rows, no labels, no model, a failure); nothing was published. */
    FAILED;

    @JsonValue
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this != RUNNING;
    }
}
