package io.streamlearn.serve.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the {@code inputs} of an Open Inference Protocol request into feature objects, one per instance, as the
 * simple API receives them; the model's {@code FeatureEncoder} then checks every value the same way for both APIs.
 *
 * <p>Two layouts (see {@link ModelSignature}): one tensor per feature, each of shape {@code [N]} or {@code [N, 1]}, a
 * feature without a tensor being missing; or one {@value ModelSignature#MATRIX_INPUT} tensor of shape {@code [N, F]}
 * in the column order of the model's inputs, where a nominal column holds the index of the value among the declared
 * values. Tensor data may be flat or nested, in row-major order (protocol, "Tensor Data"). A JSON {@code null}
 * element is a missing value.
 */
public final class TensorInstances {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String INVALID_TENSOR = "invalid_tensor";
    private static final String INVALID_REQUEST = "invalid_request";

    /** One input tensor, its data flattened. */
    private record Tensor(String name, TensorDatatype datatype, List<Long> shape, List<JsonNode> data) {

        long rows() {
            return shape.isEmpty() ? 1 : shape.get(0);
        }
    }

    private TensorInstances() {
    }

    /** The instances as feature objects, as the simple API receives them. */
    public static List<ObjectNode> decode(FeatureSchema schema, JsonNode inputs) throws InvalidTensorException {
        List<FeatureSpec> features = schema.features();
        List<ObjectNode> instances = new ArrayList<>();
        for (JsonNode[] row : decodeRows(schema, inputs)) {
            ObjectNode instance = NODES.objectNode();
            for (int column = 0; column < row.length; column++) {
                if (row[column] != null) {
                    instance.set(features.get(column).name(), row[column]);
                }
            }
            instances.add(instance);
        }
        return instances;
    }

    /**
     * The instances as rows of values in the schema's feature order, {@code null} for a missing value: what
     * {@code FeatureEncoder.encodeValues} takes, without building a feature object per instance.
     */
    public static List<JsonNode[]> decodeRows(FeatureSchema schema, JsonNode inputs) throws InvalidTensorException {
        return decodeRows(schema, inputs, null, Integer.MAX_VALUE);
    }

    /**
     * As {@link #decodeRows(FeatureSchema, JsonNode)}, with the binary part of a request in the binary tensor data
     * extension: a tensor whose {@code parameters} give a {@code binary_data_size} takes its elements from there.
     * A tensor declaring more than {@code maxRows} rows is refused ({@value InvalidTensorException#TOO_MANY_INSTANCES})
     * from its shape alone, before its data is read.
     *
     * @param binary {@code null} when the body is JSON only
     */
    public static List<JsonNode[]> decodeRows(FeatureSchema schema, JsonNode inputs, BinaryTensorData binary,
            int maxRows) throws InvalidTensorException {
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new InvalidTensorException(INVALID_REQUEST, "inputs",
                    "the request must hold a non-empty 'inputs' array of tensors");
        }
        List<Tensor> tensors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode input : inputs) {
            Tensor tensor = tensor(input, tensors.size(), binary, maxRows);
            if (!names.add(tensor.name())) {
                throw new InvalidTensorException(INVALID_TENSOR, tensor.name(),
                        "input tensor '" + tensor.name() + "' is given twice");
            }
            tensors.add(tensor);
        }
        if (binary != null && binary.remaining() > 0) {
            throw new InvalidTensorException(INVALID_REQUEST, "inputs", "the body holds " + binary.remaining()
                    + " bytes of binary data beyond the binary_data_size of its input tensors");
        }
        if (tensors.stream().anyMatch(t -> ModelSignature.isMatrixInput(schema, t.name()))) {
            if (tensors.size() > 1) {
                throw new InvalidTensorException(INVALID_TENSOR, ModelSignature.MATRIX_INPUT, "tensor '"
                        + ModelSignature.MATRIX_INPUT + "' holds every feature and cannot be combined with others");
            }
            return fromMatrix(schema, tensors.get(0));
        }
        return fromFeatureTensors(schema, tensors);
    }

    private static List<JsonNode[]> fromFeatureTensors(FeatureSchema schema, List<Tensor> tensors)
            throws InvalidTensorException {
        long rows = tensors.get(0).rows();
        for (Tensor tensor : tensors) {
            FeatureSpec feature = schema.features().get(schema.indexOf(tensor.name()).orElseThrow(() ->
                    new InvalidTensorException(RejectReason.UNKNOWN_FEATURE.code(), tensor.name(), "input tensor '"
                            + EventCodec.abbreviate(tensor.name()) + "' names no feature of model '" + schema.model()
                            + "'")));
            boolean column = tensor.shape().size() == 1 || tensor.shape().size() == 2 && tensor.shape().get(1) == 1;
            if (!column) {
                throw new InvalidTensorException(INVALID_TENSOR, tensor.name(), "input tensor '" + tensor.name()
                        + "' must have shape [N] or [N, 1], got " + tensor.shape());
            }
            if (tensor.rows() != rows) {
                throw new InvalidTensorException(INVALID_TENSOR, tensor.name(), "input tensor '" + tensor.name()
                        + "' has " + tensor.rows() + " rows but '" + tensors.get(0).name() + "' has " + rows);
            }
            checkDatatype(feature, tensor);
        }
        int[] columns = new int[tensors.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = schema.indexOf(tensors.get(i).name()).orElseThrow();
        }
        List<JsonNode[]> instances = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            JsonNode[] instance = new JsonNode[schema.features().size()];
            for (int i = 0; i < columns.length; i++) {
                JsonNode value = tensors.get(i).data().get(row);
                instance[columns[i]] = value.isNull() ? null : value;
            }
            instances.add(instance);
        }
        return instances;
    }

    private static List<JsonNode[]> fromMatrix(FeatureSchema schema, Tensor matrix) throws InvalidTensorException {
        List<FeatureSpec> features = schema.features();
        if (matrix.shape().size() != 2 || matrix.shape().get(1) != features.size()) {
            throw new InvalidTensorException(INVALID_TENSOR, matrix.name(), "input tensor '" + matrix.name()
                    + "' must have shape [N, " + features.size() + "] (one column per input of model '"
                    + schema.model() + "'), got " + matrix.shape());
        }
        if (!matrix.datatype().isNumeric()) {
            throw new InvalidTensorException(RejectReason.WRONG_TYPE.code(), matrix.name(), "input tensor '"
                    + matrix.name() + "' must be numeric (FP32, FP64 or an integer type), got " + matrix.datatype());
        }
        List<JsonNode[]> instances = new ArrayList<>();
        for (int row = 0; row < matrix.rows(); row++) {
            JsonNode[] instance = new JsonNode[features.size()];
            for (int column = 0; column < features.size(); column++) {
                JsonNode value = matrix.data().get(row * features.size() + column);
                if (!value.isNull()) {
                    instance[column] = matrixValue(features.get(column), value, row);
                }
            }
            instances.add(instance);
        }
        return instances;
    }

    /** A nominal column holds the value's index; a timestamp column epoch milliseconds, which may come as 1.7E12. */
    private static JsonNode matrixValue(FeatureSpec feature, JsonNode value, int row) throws InvalidTensorException {
        if (!value.isNumber()) {
            throw new InvalidTensorException(RejectReason.WRONG_TYPE.code(), feature.name(), "instance " + row
                    + ": column '" + feature.name() + "' must hold a number, got " + value.getNodeType().name()
                    .toLowerCase(Locale.ROOT));
        }
        if (feature.type() == FeatureType.NUMERIC) {
            return value;
        }
        if (feature.type() == FeatureType.CATEGORY) {
            throw new InvalidTensorException(RejectReason.WRONG_TYPE.code(), feature.name(), "instance " + row
                    + ": category feature '" + feature.name() + "' has no value index; send it as its own BYTES tensor");
        }
        double number = value.doubleValue();
        if (number != Math.rint(number)) {
            throw new InvalidTensorException(RejectReason.WRONG_TYPE.code(), feature.name(), "instance " + row
                    + ": column '" + feature.name() + "' must hold an integer, got " + value);
        }
        if (feature.type() == FeatureType.TIMESTAMP) {
            return NODES.numberNode((long) number);
        }
        if (number < 0 || number >= feature.values().size()) {
            throw new InvalidTensorException(RejectReason.UNSEEN_NOMINAL.code(), feature.name(), "instance " + row
                    + ": column '" + feature.name() + "' holds index " + (long) number + ", but the feature has "
                    + feature.values().size() + " values " + feature.values());
        }
        return NODES.textNode(feature.values().get((int) number));
    }

    private static void checkDatatype(FeatureSpec feature, Tensor tensor) throws InvalidTensorException {
        TensorDatatype type = tensor.datatype();
        boolean fits = switch (feature.type()) {
            case NUMERIC -> type.isNumeric();
            case NOMINAL, CATEGORY -> type == TensorDatatype.BYTES;
            case TIMESTAMP -> type.isInteger() || type == TensorDatatype.BYTES;
        };
        if (!fits) {
            throw new InvalidTensorException(RejectReason.WRONG_TYPE.code(), feature.name(), "input tensor '"
                    + feature.name() + "' of " + feature.type().jsonName() + " feature must be "
                    + ModelSignature.datatypeOf(feature) + ", got " + type);
        }
    }

    private static Tensor tensor(JsonNode input, int position, BinaryTensorData binary, int maxRows)
            throws InvalidTensorException {
        if (!input.isObject()) {
            throw new InvalidTensorException(INVALID_TENSOR, null, "input " + position + " is not a JSON object");
        }
        JsonNode name = input.get("name");
        if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
            throw new InvalidTensorException(INVALID_TENSOR, null, "input " + position + " has no 'name'");
        }
        String tensorName = name.textValue();
        TensorDatatype datatype = datatype(input.get("datatype"), tensorName);
        List<Long> shape = shape(input.get("shape"), tensorName);
        if (shape.get(0) > maxRows) {
            throw new InvalidTensorException(InvalidTensorException.TOO_MANY_INSTANCES, tensorName, "a request may "
                    + "hold at most " + maxRows + " instances, input tensor '" + tensorName + "' declares "
                    + shape.get(0));
        }
        long expected = shape.stream().reduce(1L, Math::multiplyExact);
        JsonNode binarySize = input.path("parameters").get("binary_data_size");
        JsonNode data = input.get("data");
        List<JsonNode> elements = new ArrayList<>();
        if (binarySize != null) {
            if (data != null || binary == null || !binarySize.canConvertToLong()) {
                throw new InvalidTensorException(INVALID_TENSOR, tensorName, "input tensor '" + tensorName
                        + "' with binary_data_size needs an integer size, no 'data', and a body with an "
                        + "Inference-Header-Content-Length header");
            }
            elements = binary.read(tensorName, datatype, binarySize.longValue(), expected);
        } else if (data == null || !data.isArray()) {
            throw new InvalidTensorException(INVALID_TENSOR, tensorName, "input tensor '" + tensorName
                    + "' has no 'data' array");
        } else {
            flatten(data, elements, tensorName, datatype);
        }
        if (elements.size() != expected) {
            throw new InvalidTensorException(INVALID_TENSOR, tensorName, "input tensor '" + tensorName + "' of shape "
                    + shape + " needs " + expected + " elements, its data holds " + elements.size());
        }
        return new Tensor(tensorName, datatype, shape, elements);
    }

    private static TensorDatatype datatype(JsonNode node, String tensor) throws InvalidTensorException {
        if (node == null || !node.isTextual()) {
            throw new InvalidTensorException(INVALID_TENSOR, tensor, "input tensor '" + tensor + "' has no 'datatype'");
        }
        return TensorDatatype.named(node.textValue()).orElseThrow(() -> new InvalidTensorException(INVALID_TENSOR,
                tensor, "input tensor '" + tensor + "' has an unknown datatype '"
                        + EventCodec.abbreviate(node.textValue()) + "'"));
    }

    /** Each dimension a non-negative integer; the product is bounded by the request body, checked against data. */
    private static List<Long> shape(JsonNode node, String tensor) throws InvalidTensorException {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > 2) {
            throw new InvalidTensorException(INVALID_TENSOR, tensor, "input tensor '" + tensor
                    + "' needs a 'shape' of one or two dimensions");
        }
        List<Long> shape = new ArrayList<>();
        for (JsonNode dimension : node) {
            if (!dimension.isIntegralNumber() || !dimension.canConvertToInt() || dimension.intValue() < 0) {
                throw new InvalidTensorException(INVALID_TENSOR, tensor, "input tensor '" + tensor
                        + "' has an invalid shape " + node);
            }
            shape.add(dimension.longValue());
        }
        return shape;
    }

    private static void flatten(JsonNode data, List<JsonNode> into, String tensor, TensorDatatype datatype)
            throws InvalidTensorException {
        for (JsonNode element : data) {
            if (element.isArray()) {
                flatten(element, into, tensor, datatype);
                continue;
            }
            if (datatype.isInteger() && element.isNumber() && !element.isIntegralNumber()) {
                throw new InvalidTensorException(RejectReason.WRONG_TYPE.code(), tensor, "input tensor '" + tensor
                        + "' is " + datatype + " but holds " + element);
            }
            into.add(element);
        }
    }
}
