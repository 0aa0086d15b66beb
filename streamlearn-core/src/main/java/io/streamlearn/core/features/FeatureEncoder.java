package io.streamlearn.core.features;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.io.IOException;
import java.util.BitSet;
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

    /**
     * Reads one features object from {@code parser}, positioned on its {@code START_OBJECT}, and encodes it exactly as
     * {@link #encodeFeatures(ObjectNode)} encodes the tree of that object, without building the tree: a batch request
     * of a hundred instances spent more time building trees than predicting. Each value becomes the node the tree
     * would hold and goes through the same {@code encodeValue}, so the two paths cannot disagree on a value they both
     * accept.
     *
     * <p>Only valid objects are encoded: on anything {@link #encodeFeatures(ObjectNode)} would refuse (an unknown or
     * repeated feature, a missing, mistyped or non-finite value, a value that is an object or array) this returns
     * {@code null}, leaving the parser inside the object; the caller then reads the whole input again through the
     * tree path, whose error names the fault in its usual order (unknown features first, then schema order).
     *
     * @return the encoded vector, or {@code null} when the tree path must decide
     * @throws IOException when the JSON itself is malformed (the caller also falls back)
     */
    public double[] tryEncodeFeatures(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            return null;
        }
        List<FeatureSpec> specs = schema.features();
        double[] vector = new double[specs.size()];
        BitSet seen = new BitSet(vector.length);
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            Integer position = positions.get(name);
            if (position == null || seen.get(position)) {
                return null;
            }
            seen.set(position);
            JsonNode value = scalar(parser, parser.nextToken());
            if (value == null) {
                return null;
            }
            try {
                vector[position] = encodeValue(specs.get(position), value, RejectReason.MISSING_FEATURE);
            } catch (InvalidRecordException e) {
                return null;
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            return null;
        }
        for (int i = seen.nextClearBit(0); i < vector.length; i = seen.nextClearBit(i + 1)) {
            try {
                vector[i] = encodeValue(specs.get(i), null, RejectReason.MISSING_FEATURE);
            } catch (InvalidRecordException e) {
                return null;
            }
        }
        return vector;
    }

    /** The node Jackson's tree deserializer would build for a scalar token; {@code null} for anything else. */
    private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case VALUE_NUMBER_FLOAT -> DoubleNode.valueOf(parser.getDoubleValue());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> null;
            };
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NULL -> NullNode.getInstance();
            default -> null;
        };
    }

    /**
     * Encodes values already placed in schema order, as {@link #encodeFeatures(ObjectNode)} encodes an object holding
     * them under their features' names: for readers (Open Inference Protocol tensors) that know each value's
     * position and have checked that every value belongs to a feature.
     *
     * @param values one per feature of the schema, {@code null} (or a JSON null) where the value is missing
     */
    public double[] encodeValues(JsonNode[] values) throws InvalidRecordException {
        List<FeatureSpec> specs = schema.features();
        if (values.length != specs.size()) {
            throw new IllegalArgumentException("expected " + specs.size() + " values, got " + values.length);
        }
        double[] vector = new double[values.length];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = encodeValue(specs.get(i), values[i], RejectReason.MISSING_FEATURE);
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
