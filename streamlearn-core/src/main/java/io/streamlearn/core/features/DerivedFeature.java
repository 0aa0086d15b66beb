package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Appends a numeric column computed from the columns before it by an {@link Expression}. Learns nothing. */
final class DerivedFeature implements FeatureTransform {

    private static final long serialVersionUID = 1L;

    private final List<FeatureSpec> outputs;
    private final Expression expression;

    DerivedFeature(List<FeatureSpec> inputs, String name, String expression) {
        if (name == null || expression == null) {
            throw new IllegalArgumentException("derive transform needs a name and an expression");
        }
        this.expression = Expression.parse(expression, inputs);
        List<FeatureSpec> outputs = new ArrayList<>(inputs);
        outputs.add(FeatureSpec.numeric(name));
        this.outputs = List.copyOf(outputs);
    }

    @Override
    public List<FeatureSpec> outputs() {
        return outputs;
    }

    @Override
    public double[] apply(double[] row) {
        double[] result = Arrays.copyOf(row, row.length + 1);
        result[row.length] = expression.value(row);
        return result;
    }

    @Override
    public void learn(double[] row) {
    }
}
