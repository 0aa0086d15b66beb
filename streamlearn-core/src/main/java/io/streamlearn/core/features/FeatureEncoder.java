package io.streamlearn.core.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns the JSON features of an event (or a prediction request) into the dense vector a learner sees, in schema order:
 * numbers as they are, nominal values as their index among the declared values, timestamps as epoch milliseconds,
 * categories as a 32-bit hash of the string and missing values as {@code NaN}. A schema's transforms
 * ({@link FeaturePipeline}) then work on this vector. The same code serves the trainer and the prediction endpoint, so both see one
 * encoding.
 */
public final class FeatureEncoder {

    private final FeatureSchema schema;
    private final Map<String, Integer> positions;

    public FeatureEncoder(FeatureSchema schema) {
        this.schema = schema;
        this.positions = new HashMap<>();
        List<FeatureSpec> features = schema.features();
        for (int i = 0; i < features.size(); i++) {
            positions.put(features.get(i).name(), i);
        }
    }

    public FeatureSchema schema() {
        return schema;
    }

    public double[] encodeFeatures(ObjectNode features) throws InvalidRecordException {
        Iterator<String> names = features.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!positions.containsKey(name)) {
                throw new InvalidRecordException(RejectReason.UNKNOWN_FEATURE, name,
                        "feature '" + EventCodec.abbreviate(name) + "' is not in the schema of model '"
                                + schema.model() + "'");
            }
        }
        List<FeatureSpec> specs = schema.features();
        double[] vector = new double[specs.size()];
        for (int i = 0; i < vector.length; i++) {
            FeatureSpec spec = specs.get(i);
            vector[i] = encodeValue(spec, features.get(spec.name()), RejectReason.MISSING_FEATURE);
        }
        return vector;
    }

    /** The label as a learner sees it: a class index or a target value; {@code NaN} for an absent label. */
    public double encodeLabel(JsonNode label) throws InvalidRecordException {
        if (label == null || label.isNull()) {
            return Double.NaN;
        }
        try {
            return encodeValue(schema.target(), label, RejectReason.MISSING_LABEL);
        } catch (InvalidRecordException e) {
            throw new InvalidRecordException(RejectReason.INVALID_LABEL, "label", e.getMessage());
        }
    }

    /** The JSON value of a class index or a target value, as events carry labels. */
    public Object decodeLabel(double encoded) {
        FeatureSpec target = schema.target();
        return target.isNominal() ? target.values().get((int) encoded) : encoded;
    }

    private static double encodeValue(FeatureSpec spec, JsonNode value, RejectReason whenMissing)
            throws InvalidRecordException {
        if (value == null || value.isNull()) {
            return missing(spec, whenMissing);
        }
        return switch (spec.type()) {
            case NUMERIC -> numeric(spec, value);
            case NOMINAL -> nominal(spec, value);
            case TIMESTAMP -> EventCodec.parseTimestamp(value, spec.name());
            case CATEGORY -> category(spec, value);
        };
    }

    private static double missing(FeatureSpec spec, RejectReason whenMissing) throws InvalidRecordException {
        if (spec.missing() == MissingPolicy.MISSING) {
            return Double.NaN;
        }
        if (spec.missing() == MissingPolicy.DEFAULT) {
            if (spec.type() == FeatureType.NOMINAL) {
                return spec.indexOf(spec.defaultValue());
            }
            if (spec.type() == FeatureType.CATEGORY) {
                return FeatureHashing.hash(spec.defaultValue());
            }
            return Double.parseDouble(spec.defaultValue());
        }
        throw new InvalidRecordException(whenMissing, spec.name(), "feature '" + spec.name() + "' is missing");
    }

    private static double numeric(FeatureSpec spec, JsonNode value) throws InvalidRecordException {
        if (!value.isNumber()) {
            throw new InvalidRecordException(RejectReason.WRONG_TYPE, spec.name(),
                    "feature '" + spec.name() + "' must be a number, got " + value.getNodeType().name().toLowerCase());
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number)) {
            throw new InvalidRecordException(RejectReason.NOT_FINITE, spec.name(),
                    "feature '" + spec.name() + "' is not a finite number");
        }
        return number;
    }

    private static double category(FeatureSpec spec, JsonNode value) throws InvalidRecordException {
        if (!value.isTextual()) {
            throw new InvalidRecordException(RejectReason.WRONG_TYPE, spec.name(),
                    "category feature '" + spec.name() + "' must be a string, got "
                            + value.getNodeType().name().toLowerCase());
        }
        return FeatureHashing.hash(value.textValue());
    }

    private static double nominal(FeatureSpec spec, JsonNode value) throws InvalidRecordException {
        if (!value.isTextual()) {
            throw new InvalidRecordException(RejectReason.WRONG_TYPE, spec.name(),
                    "nominal feature '" + spec.name() + "' must be a string, got "
                            + value.getNodeType().name().toLowerCase());
        }
        int index = spec.indexOf(value.textValue());
        if (index < 0) {
            throw new InvalidRecordException(RejectReason.UNSEEN_NOMINAL, spec.name(),
                    "value '" + EventCodec.abbreviate(value.textValue()) + "' of feature '" + spec.name()
                            + "' is not one of " + spec.values());
        }
        return index;
    }
}
