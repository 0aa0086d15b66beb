package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.util.ArrayList;
import java.util.List;

/**
 * Stream-level dimensionality reduction: every numeric column is replaced by the first {@code components} principal
 * components, {@code pc1} … {@code pcK}, appended after the other columns. Learned by candid covariance-free
 * incremental PCA (CCIPCA; Weng, Zhang and Hwang, IEEE TPAMI 25(8), 2003, without amnesic weighting): for the n-th
 * centred row u and each component i in order, {@code v_i ← (n−1)/n · v_i + 1/n · (u·v̂_i) u}, then u loses its part
 * along v̂_i before the next component. Rows are centred with the running mean; a missing value counts as the mean.
 * Components are projections on v̂_i; they are 0 until a component has seen a row off the mean.
 */
final class IncrementalPca implements FeatureTransform {

    private static final long serialVersionUID = 1L;

    private final List<FeatureSpec> outputs;
    private final int[] numeric;
    private final int[] kept;
    private final double[] mean;
    private final double[][] vectors;
    private long seen;

    IncrementalPca(List<FeatureSpec> inputs, Integer components) {
        List<Integer> numericIndexes = new ArrayList<>();
        List<Integer> keptIndexes = new ArrayList<>();
        List<FeatureSpec> columns = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).type() == FeatureType.NUMERIC) {
                numericIndexes.add(i);
            } else {
                keptIndexes.add(i);
                columns.add(inputs.get(i));
            }
        }
        if (components == null || components < 1 || components > numericIndexes.size()) {
            throw new IllegalArgumentException("pca needs 'components' between 1 and the " + numericIndexes.size()
                    + " numeric columns, not " + components);
        }
        for (int i = 1; i <= components; i++) {
            columns.add(FeatureSpec.numeric("pc" + i));
        }
        this.outputs = List.copyOf(columns);
        this.numeric = numericIndexes.stream().mapToInt(Integer::intValue).toArray();
        this.kept = keptIndexes.stream().mapToInt(Integer::intValue).toArray();
        this.mean = new double[numeric.length];
        this.vectors = new double[components][numeric.length];
    }

    @Override
    public List<FeatureSpec> outputs() {
        return outputs;
    }

    @Override
    public double[] apply(double[] row) {
        double[] centred = centred(row);
        double[] result = new double[kept.length + vectors.length];
        for (int i = 0; i < kept.length; i++) {
            result[i] = row[kept[i]];
        }
        for (int c = 0; c < vectors.length; c++) {
            double norm = norm(vectors[c]);
            result[kept.length + c] = norm == 0 ? 0 : dot(centred, vectors[c]) / norm;
        }
        return result;
    }

    @Override
    public void learn(double[] row) {
        seen++;
        for (int j = 0; j < numeric.length; j++) {
            double value = row[numeric[j]];
            if (!Double.isNaN(value)) {
                mean[j] += (value - mean[j]) / seen;
            }
        }
        double[] u = centred(row);
        for (int c = 0; c < vectors.length; c++) {
            double[] v = vectors[c];
            // CCIPCA starts component i from the i-th row; a centred row can be all zeros (the first one always is),
            // so a component starts from the first residual that is not.
            if (norm(v) == 0) {
                System.arraycopy(u, 0, v, 0, u.length);
            } else {
                double norm = norm(v);
                double along = norm == 0 ? 0 : dot(u, v) / norm;
                for (int j = 0; j < v.length; j++) {
                    v[j] = (seen - 1.0) / seen * v[j] + along / seen * u[j];
                }
            }
            double norm = norm(v);
            if (norm > 0) {
                double along = dot(u, v) / norm;
                for (int j = 0; j < u.length; j++) {
                    u[j] -= along * v[j] / norm;
                }
            }
        }
    }

    private double[] centred(double[] row) {
        double[] centred = new double[numeric.length];
        for (int j = 0; j < numeric.length; j++) {
            double value = row[numeric[j]];
            centred[j] = Double.isNaN(value) ? 0 : value - mean[j];
        }
        return centred;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
