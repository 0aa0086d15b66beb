package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.util.List;

/**
 * Standard scaling with running statistics: (x − mean) / standard deviation, mean and (population) deviation by
 * Welford's algorithm (B. P. Welford, Technometrics 4(3), 1962). While the deviation is 0 (fewer than two distinct
 * values seen) the value is only centred.
 */
final class StandardScaling implements FeatureTransform {

    private static final long serialVersionUID = 1L;

    private final List<FeatureSpec> outputs;
    private final int index;
    private long seen;
    private double mean;
    private double squaredDeviations;

    StandardScaling(List<FeatureSpec> inputs, String feature) {
        this.outputs = inputs;
        this.index = Columns.indexOf(inputs, feature, "scale");
        Columns.requireType(inputs.get(index), "scale", FeatureType.NUMERIC);
    }

    @Override
    public List<FeatureSpec> outputs() {
        return outputs;
    }

    @Override
    public double[] apply(double[] row) {
        double value = row[index];
        if (Double.isNaN(value)) {
            return row;
        }
        double deviation = seen == 0 ? 0 : Math.sqrt(squaredDeviations / seen);
        return Columns.with(row, index, deviation == 0 ? value - mean : (value - mean) / deviation);
    }

    @Override
    public void learn(double[] row) {
        double value = row[index];
        if (Double.isNaN(value)) {
            return;
        }
        seen++;
        double delta = value - mean;
        mean += delta / seen;
        squaredDeviations += delta * (value - mean);
    }
}
