package io.streamlearn.core.schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a feature's JSON value is read: a number, one of a declared set of strings, or a point in time. */
public enum FeatureType {
    NUMERIC,
    NOMINAL,
    /** Epoch milliseconds or an ISO-8601 string; learned from as epoch milliseconds. */
    TIMESTAMP,
    /**
     * Any string, without a declared set of values (user ids, cities): must be turned into columns by a {@code hash}
     * transform. Encoded as a 32-bit hash of the string.
     */
    CATEGORY;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FeatureType fromJson(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
