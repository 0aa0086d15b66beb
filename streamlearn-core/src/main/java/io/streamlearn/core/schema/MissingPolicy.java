package io.streamlearn.core.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What to do when an event lacks a feature (absent or JSON null). */
public enum MissingPolicy {
    /** The event is invalid and goes to the dead-letter topic. */
    REJECT,
    /** The learner receives a missing value (MOA learners handle them natively). */
    MISSING,
    /** The feature's declared {@code default} value is used. */
    DEFAULT;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MissingPolicy fromJson(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
