package io.streamlearn.core.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One step of a model's feature pipeline, declared in its schema under {@code "transforms"} and applied in order to
 * the encoded features before the learner sees them (see {@code io.streamlearn.core.features.FeaturePipeline}).
 * Which fields apply depends on {@code type}:
 *
 * <ul>
 *   <li>{@code impute}: {@code feature}, {@code strategy} ({@code mean}, {@code median}, {@code mode},
 *       {@code constant}) and for {@code constant} the {@code value};</li>
 *   <li>{@code clip}: {@code feature}, quantiles {@code lower} and {@code upper} (e.g. 0.01 and 0.99);</li>
 *   <li>{@code scale}: {@code feature} (standard scaling with the running mean and deviation);</li>
 *   <li>{@code one_hot}: {@code feature} (a nominal feature becomes one 0/1 column per value);</li>
 *   <li>{@code timestamp}: {@code feature}, {@code parts} (e.g. {@code hour}, {@code day_of_week}, {@code month},
 *       {@code is_weekend}, {@code hour_sin}, {@code hour_cos}, ...);</li>
 *   <li>{@code derive}: {@code name} of the new column and its {@code expression}, e.g. {@code log(a / b)};</li>
 *   <li>{@code hash}: a {@code category} {@code feature} into {@code buckets} 0/1 columns;</li>
 *   <li>{@code pca}: every numeric column into its first {@code components} principal components, learned
 *       incrementally (CCIPCA).</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransformSpec(
        String type,
        String feature,
        String strategy,
        String value,
        Double lower,
        Double upper,
        List<String> parts,
        String name,
        String expression,
        Integer buckets,
        Integer components) implements Serializable {

    public TransformSpec {
        Objects.requireNonNull(type, "transform type");
        parts = parts == null ? null : List.copyOf(parts);
    }

    public TransformSpec(String type, String feature, String strategy, String value, Double lower, Double upper,
            List<String> parts, String name, String expression, Integer buckets) {
        this(type, feature, strategy, value, lower, upper, parts, name, expression, buckets, null);
    }

    public static TransformSpec pca(int components) {
        return new TransformSpec("pca", null, null, null, null, null, null, null, null, null, components);
    }

    public static TransformSpec impute(String feature, String strategy, String value) {
        return new TransformSpec("impute", feature, strategy, value, null, null, null, null, null, null);
    }

    public static TransformSpec clip(String feature, double lower, double upper) {
        return new TransformSpec("clip", feature, null, null, lower, upper, null, null, null, null);
    }

    public static TransformSpec scale(String feature) {
        return new TransformSpec("scale", feature, null, null, null, null, null, null, null, null);
    }

    public static TransformSpec oneHot(String feature) {
        return new TransformSpec("one_hot", feature, null, null, null, null, null, null, null, null);
    }

    public static TransformSpec timestamp(String feature, List<String> parts) {
        return new TransformSpec("timestamp", feature, null, null, null, null, parts, null, null, null);
    }

    public static TransformSpec derive(String name, String expression) {
        return new TransformSpec("derive", null, null, null, null, null, null, name, expression, null);
    }

    public static TransformSpec hash(String feature, int buckets) {
        return new TransformSpec("hash", feature, null, null, null, null, null, null, null, buckets);
    }
}
