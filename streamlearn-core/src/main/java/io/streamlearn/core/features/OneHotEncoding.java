package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.util.List;

/**
 * A nominal column becomes one numeric 0/1 column per declared value, named {@code feature=value}, in declaration
 * order (what linear models need; trees take nominal values natively). A missing value gives all zeros. Learns nothing.
 */
final class OneHotEncoding implements FeatureTransform {

    private static final long serialVersionUID = 1L;

    private final List<FeatureSpec> outputs;
    private final int index;
    private final int width;

    OneHotEncoding(List<FeatureSpec> inputs, String feature) {
        this.index = Columns.indexOf(inputs, feature, "one_hot");
        FeatureSpec column = inputs.get(index);
        Columns.requireType(column, "one_hot", FeatureType.NOMINAL);
        this.width = column.values().size();
        this.outputs = Columns.replace(inputs, index,
                Columns.numeric(column.values().stream().map(value -> feature + "=" + value).toList()));
    }

    @Override
    public List<FeatureSpec> outputs() {
        return outputs;
    }

    @Override
    public double[] apply(double[] row) {
        double[] indicators = new double[width];
        if (!Double.isNaN(row[index])) {
            indicators[(int) row[index]] = 1.0;
        }
        return Columns.replace(row, index, indicators);
    }

    @Override
    public void learn(double[] row) {
    }
}
