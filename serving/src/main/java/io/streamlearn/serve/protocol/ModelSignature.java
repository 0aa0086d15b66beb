package io.streamlearn.serve.protocol;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors a model takes and gives in the Open Inference Protocol, derived from its feature schema.
 *
 * <p>Inputs: one tensor per feature, named after it, in schema order, of shape {@code [-1]} (one element per
 * instance): {@code FP64} for numeric features, {@code BYTES} for nominal ones, {@code INT64} for timestamps (epoch
 * milliseconds). A client may instead send the whole batch as one tensor named {@value #MATRIX_INPUT} of shape
 * {@code [N, F]} whose columns follow the order of these inputs.
 *
 * <p>Outputs: {@value #PREDICT}, the predicted class ({@code BYTES}) or value ({@code FP64}) per instance, and for
 * classification {@value #SCORES}, shape {@code [N, C]}, the score of each class in the order the schema declares the
 * target's values.
 */
public final class ModelSignature {

    public static final String MATRIX_INPUT = "input";
    public static final String PREDICT = "predict";
    public static final String SCORES = "scores";
    /** A variable-size dimension, as the protocol writes it. */
    public static final long ANY = -1;

    /** One tensor's metadata, {@code $metadata_tensor} in the protocol. */
    public record TensorSpec(String name, TensorDatatype datatype, List<Long> shape) {

        public TensorSpec {
            shape = List.copyOf(shape);
        }
    }

    private ModelSignature() {
    }

    public static List<TensorSpec> inputs(FeatureSchema schema) {
        List<TensorSpec> inputs = new ArrayList<>();
        for (FeatureSpec feature : schema.features()) {
            inputs.add(new TensorSpec(feature.name(), datatypeOf(feature), List.of(ANY)));
        }
        return inputs;
    }

    public static List<TensorSpec> outputs(FeatureSchema schema) {
        FeatureSpec target = schema.target();
        if (schema.task() != Task.CLASSIFICATION) {
            return List.of(new TensorSpec(PREDICT, TensorDatatype.FP64, List.of(ANY)));
        }
        return List.of(new TensorSpec(PREDICT, TensorDatatype.BYTES, List.of(ANY)),
                new TensorSpec(SCORES, TensorDatatype.FP64, List.of(ANY, (long) target.values().size())));
    }

    /** Whether {@code name} is an output of this model. */
    public static boolean hasOutput(FeatureSchema schema, String name) {
        return outputs(schema).stream().anyMatch(output -> output.name().equals(name));
    }

    /**
     * Whether the request's inputs are the single {@value #MATRIX_INPUT} matrix: only when no feature of the schema is
     * itself called so, in which case that name means the feature.
     */
    public static boolean isMatrixInput(FeatureSchema schema, String tensorName) {
        return MATRIX_INPUT.equals(tensorName) && schema.indexOf(MATRIX_INPUT).isEmpty();
    }

    static TensorDatatype datatypeOf(FeatureSpec feature) {
        return switch (feature.type()) {
            case NUMERIC -> TensorDatatype.FP64;
            case NOMINAL, CATEGORY -> TensorDatatype.BYTES;
            case TIMESTAMP -> TensorDatatype.INT64;
        };
    }
}
