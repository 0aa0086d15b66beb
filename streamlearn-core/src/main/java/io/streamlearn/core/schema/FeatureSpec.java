package io.streamlearn.core.schema;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One declared feature (or the target). Nominal values travel as JSON strings and are encoded by their position in
 * {@code values}, the order a MOA/Weka header would give them. In JSON the default value is written {@code default}.
 *
 * @param name        the key in an event's {@code features} object
 * @param type        how the value is read
 * @param values      the allowed values of a nominal feature, in encoding order; empty otherwise
 * @param missing     what a missing value means; {@code reject} when not given
 * @param defaultValue the value used under {@link MissingPolicy#DEFAULT}: a number (epoch milliseconds for a
 *                     timestamp), or one of {@code values}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FeatureSpec(
        String name,
        FeatureType type,
        List<String> values,
        MissingPolicy missing,
        @JsonProperty("default") @JsonAlias("defaultValue") String defaultValue) implements Serializable {

    public FeatureSpec {
        Objects.requireNonNull(name, "feature name");
        Objects.requireNonNull(type, "type of feature " + name);
        values = values == null ? List.of() : List.copyOf(values);
        missing = missing == null ? MissingPolicy.REJECT : missing;
        if (type == FeatureType.NOMINAL && values.isEmpty()) {
            throw new IllegalArgumentException("nominal feature '" + name + "' declares no values");
        }
        if (type != FeatureType.NOMINAL && !values.isEmpty()) {
            throw new IllegalArgumentException("feature '" + name + "' is " + type.jsonName() + " but declares values");
        }
        if (missing == MissingPolicy.DEFAULT && defaultValue == null) {
            throw new IllegalArgumentException("feature '" + name + "' uses missing=default but declares no default");
        }
        if (defaultValue != null) {
            checkDefault(name, type, values, defaultValue);
        }
    }

    /** Checked here so that a bad schema fails when it is loaded, not on the first event that lacks the feature. */
    private static void checkDefault(String name, FeatureType type, List<String> values, String defaultValue) {
        if (type == FeatureType.CATEGORY) {
            return;
        }
        if (type == FeatureType.NOMINAL && !values.contains(defaultValue)) {
            throw new IllegalArgumentException("default '" + defaultValue + "' of feature '" + name
                    + "' is not one of its values " + values);
        }
        if (type != FeatureType.NOMINAL && !isFiniteNumber(defaultValue)) {
            throw new IllegalArgumentException("default '" + defaultValue + "' of " + type.jsonName() + " feature '"
                    + name + "' is not a finite number");
        }
    }

    private static boolean isFiniteNumber(String text) {
        try {
            return Double.isFinite(Double.parseDouble(text));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static FeatureSpec numeric(String name) {
        return new FeatureSpec(name, FeatureType.NUMERIC, List.of(), MissingPolicy.REJECT, null);
    }

    public static FeatureSpec nominal(String name, List<String> values) {
        return new FeatureSpec(name, FeatureType.NOMINAL, values, MissingPolicy.REJECT, null);
    }

    public static FeatureSpec of(String name, FeatureType type) {
        return new FeatureSpec(name, type, List.of(), MissingPolicy.REJECT, null);
    }

    @JsonIgnore
    public boolean isNominal() {
        return type == FeatureType.NOMINAL;
    }

    /** Position of a nominal value, or -1 when it is not declared. */
    public int indexOf(String value) {
        return values.indexOf(value);
    }
}
