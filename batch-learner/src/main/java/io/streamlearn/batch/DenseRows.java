package io.streamlearn.batch;

import io.streamlearn.core.features.FeaturePipeline;
import java.util.List;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Rows after the feature pipeline, row-major in single precision as XGBoost takes them ({@code NaN} = missing), with
 * their labels. XGBoost's native matrices are made from it on demand and must be disposed by the caller.
 */
record DenseRows(float[] values, int rows, int columns, float[] labels) {

    /** The rows {@code indices} of {@code encoded}, transformed by the (fitted, unchanged) pipeline. */
    static DenseRows transformed(FeaturePipeline pipeline, List<double[]> encoded, double[] labels, int[] indices) {
        int columns = pipeline.outputSchema().features().size();
        float[] values = new float[indices.length * columns];
        float[] rowLabels = new float[indices.length];
        for (int r = 0; r < indices.length; r++) {
            double[] row = pipeline.transform(encoded.get(indices[r]));
            for (int c = 0; c < columns; c++) {
                values[r * columns + c] = (float) row[c];
            }
            rowLabels[r] = (float) labels[indices[r]];
        }
        return new DenseRows(values, indices.length, columns, rowLabels);
    }

    DMatrix matrix() throws XGBoostError {
        DMatrix matrix = new DMatrix(values, rows, columns, Float.NaN);
        matrix.setLabel(labels);
        return matrix;
    }

    /** At most {@code limit} rows spread evenly over these (all of them when there are no more). */
    DenseRows spread(int limit) {
        if (rows <= limit) {
            return this;
        }
        float[] picked = new float[limit * columns];
        float[] pickedLabels = new float[limit];
        for (int i = 0; i < limit; i++) {
            int source = (int) ((long) i * rows / limit);
            System.arraycopy(values, source * columns, picked, i * columns, columns);
            pickedLabels[i] = labels[source];
        }
        return new DenseRows(picked, limit, columns, pickedLabels);
    }

    float[] row(int index) {
        float[] row = new float[columns];
        System.arraycopy(values, index * columns, row, 0, columns);
        return row;
    }

    double label(int index) {
        return labels[index];
    }
}
