package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.util.List;
import java.util.Locale;

/**
 * Replaces a missing value ({@code NaN}) by the running mean or median of the values seen (numeric), their most
 * frequent value (nominal; the first declared value on ties), or a constant. Until a value has been seen a missing
 * value stays missing, which MOA's learners handle.
 */
final class Imputation implements FeatureTransform {

    private static final long serialVersionUID = 1L;

    enum Strategy { MEAN, MEDIAN, MODE, CONSTANT }

    private final List<FeatureSpec> outputs;
    private final int index;
    private final Strategy strategy;
    private final double constant;
    private final P2Quantile median;
    private final long[] counts;
    private long seen;
    private double mean;

    Imputation(List<FeatureSpec> inputs, String feature, String strategy, String value) {
        this.outputs = inputs;
        this.index = Columns.indexOf(inputs, feature, "impute");
        FeatureSpec column = inputs.get(index);
        this.strategy = parse(strategy);
        boolean nominal = column.isNominal();
        if (nominal != (this.strategy == Strategy.MODE) && this.strategy != Strategy.CONSTANT) {
            throw new IllegalArgumentException("impute " + this.strategy.name().toLowerCase(Locale.ROOT)
                    + " does not fit " + column.type().jsonName() + " column '" + feature + "' (mean and median are "
                    + "for numbers, mode for nominal values)");
        }
        Columns.requireType(column, "impute", FeatureType.NUMERIC, FeatureType.NOMINAL);
        this.constant = this.strategy == Strategy.CONSTANT ? constant(column, value) : Double.NaN;
        this.median = this.strategy == Strategy.MEDIAN ? new P2Quantile(0.5) : null;
        this.counts = this.strategy == Strategy.MODE ? new long[column.values().size()] : null;
    }

    private static Strategy parse(String strategy) {
        if (strategy == null) {
            throw new IllegalArgumentException("impute transform needs a strategy: mean, median, mode or constant");
        }
        return Strategy.valueOf(strategy.toUpperCase(Locale.ROOT));
    }

    private static double constant(FeatureSpec column, String value) {
        if (value == null) {
            throw new IllegalArgumentException("impute constant for '" + column.name() + "' needs a value");
        }
        if (column.isNominal()) {
            int position = column.indexOf(value);
            if (position < 0) {
                throw new IllegalArgumentException("impute constant '" + value + "' is not a value of '"
                        + column.name() + "'");
            }
            return position;
        }
        return Double.parseDouble(value);
    }

    @Override
    public List<FeatureSpec> outputs() {
        return outputs;
    }

    @Override
    public double[] apply(double[] row) {
        return Double.isNaN(row[index]) ? Columns.with(row, index, replacement()) : row;
    }

    private double replacement() {
        return switch (strategy) {
            case MEAN -> seen == 0 ? Double.NaN : mean;
            case MEDIAN -> median.value();
            case MODE -> mode();
            case CONSTANT -> constant;
        };
    }

    private double mode() {
        int best = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && (best < 0 || counts[i] > counts[best])) {
                best = i;
            }
        }
        return best < 0 ? Double.NaN : best;
    }

    @Override
    public void learn(double[] row) {
        double value = row[index];
        if (Double.isNaN(value)) {
            return;
        }
        seen++;
        switch (strategy) {
            case MEAN -> mean += (value - mean) / seen;
            case MEDIAN -> median.add(value);
            case MODE -> counts[(int) value]++;
            case CONSTANT -> { }
        }
    }
}
