package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.TransformSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema's {@code transforms}, in order, between the {@link FeatureEncoder}'s vector and the learner. Each step
 * learns online from the rows that reach it ({@link #learn}) and is serialized with the learner, so the trainer, its
 * recovery, the prediction server and any batch use of a snapshot transform alike. Plain Java, no Kafka or MOA.
 *
 * <p>Test-then-train, like the learner: a row is transformed with what the steps learned from the rows before it, then
 * the steps learn from it. Without transforms the pipeline is the identity and learns nothing.
 */
public final class FeaturePipeline implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<FeatureTransform> steps;
    private final FeatureSchema output;

    private FeaturePipeline(List<FeatureTransform> steps, FeatureSchema output) {
        this.steps = steps;
        this.output = output;
    }

    /**
     * @throws IllegalArgumentException for an unknown transform type, a step naming a column that is not there at that
     *                                  point, a step that does not fit its column's type, or a {@code category}
     *                                  feature left unhashed
     */
    public static FeaturePipeline of(FeatureSchema schema) {
        List<FeatureTransform> steps = new ArrayList<>();
        List<FeatureSpec> columns = schema.features();
        for (TransformSpec spec : schema.transforms()) {
            FeatureTransform step = step(spec, columns);
            steps.add(step);
            columns = step.outputs();
        }
        for (FeatureSpec column : columns) {
            if (column.type() == FeatureType.CATEGORY) {
                throw new IllegalArgumentException("category feature '" + column.name() + "' needs a hash transform");
            }
        }
        return new FeaturePipeline(List.copyOf(steps), new FeatureSchema(schema.model(), schema.target(), columns));
    }

    private static FeatureTransform step(TransformSpec spec, List<FeatureSpec> columns) {
        return switch (spec.type()) {
            case "impute" -> new Imputation(columns, spec.feature(), spec.strategy(), spec.value());
            case "clip" -> new QuantileClipping(columns, spec.feature(), spec.lower(), spec.upper());
            case "scale" -> new StandardScaling(columns, spec.feature());
            case "one_hot" -> new OneHotEncoding(columns, spec.feature());
            case "timestamp" -> new TimestampFeatures(columns, spec.feature(), spec.parts());
            case "derive" -> new DerivedFeature(columns, spec.name(), spec.expression());
            case "hash" -> new FeatureHashing(columns, spec.feature(), spec.buckets());
            case "pca" -> new IncrementalPca(columns, spec.components());
            default -> throw new IllegalArgumentException("unknown transform type '" + spec.type() + "' (known: impute, "
                    + "clip, scale, one_hot, timestamp, derive, hash, pca)");
        };
    }

    public boolean isIdentity() {
        return steps.isEmpty();
    }

    /** The columns the learner sees: the schema's features after every step, with the same target. */
    public FeatureSchema outputSchema() {
        return output;
    }

    /** The encoded row as the learner sees it, with what the steps have learned so far. */
    public double[] transform(double[] encoded) {
        double[] row = encoded;
        for (FeatureTransform step : steps) {
            row = step.apply(row);
        }
        return row;
    }

    /** Each step learns from the row as the steps before it transform it (with their state before this row). */
    public void learn(double[] encoded) {
        double[] row = encoded;
        for (FeatureTransform step : steps) {
            double[] next = step.apply(row);
            step.learn(row);
            row = next;
        }
    }
}
