package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.util.List;

/**
 * Winsorises a numeric column: values below the running {@code lower} quantile or above the running {@code upper}
 * quantile (P² estimates, {@link P2Quantile}) are set to that quantile. Passes values through until one is seen.
 */
final class QuantileClipping implements FeatureTransform {

    private static final long serialVersionUID = 1L;

    private final List<FeatureSpec> outputs;
    private final int index;
    private final P2Quantile lower;
    private final P2Quantile upper;

    QuantileClipping(List<FeatureSpec> inputs, String feature, Double lower, Double upper) {
        this.outputs = inputs;
        this.index = Columns.indexOf(inputs, feature, "clip");
        Columns.requireType(inputs.get(index), "clip", FeatureType.NUMERIC);
        if (lower == null || upper == null || !(lower < upper)) {
            throw new IllegalArgumentException("clip transform of '" + feature + "' needs quantiles lower < upper, "
                    + "e.g. 0.01 and 0.99");
        }
        this.lower = new P2Quantile(lower);
        this.upper = new P2Quantile(upper);
    }

    @Override
    public List<FeatureSpec> outputs() {
        return outputs;
    }

    @Override
    public double[] apply(double[] row) {
        double value = row[index];
        double low = lower.value();
        double high = upper.value();
        if (Double.isNaN(value) || Double.isNaN(low)) {
            return row;
        }
        return Columns.with(row, index, Math.min(high, Math.max(low, value)));
    }

    @Override
    public void learn(double[] row) {
        if (!Double.isNaN(row[index])) {
            lower.add(row[index]);
            upper.add(row[index]);
        }
    }
}
