package io.streamlearn.batch;

import io.streamlearn.core.learn.Prediction;
import java.util.Arrays;

/**
 * The linear model reported beside the trees, so users see whether the trees earn their cost: multinomial logistic
 * regression for classes, least squares for values, both with a small L2 penalty, fitted by full-batch gradient
 * descent with momentum on z-scored columns (missing values become the column mean). Plain Java and deterministic;
 * not tuned, on purpose: it is a yardstick, not a contender.
 */
final class LinearBaseline {

    private static final int EPOCHS = 200;
    private static final double RATE = 0.5;
    private static final double MOMENTUM = 0.9;
    private static final double L2 = 1e-4;

    private final int classCount;
    private final double[] mean;
    private final double[] scale;
    private final double[][] weights;
    private final double targetMean;
    private final double targetScale;

    private LinearBaseline(int classCount, double[] mean, double[] scale, double[][] weights, double targetMean,
            double targetScale) {
        this.classCount = classCount;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.targetMean = targetMean;
        this.targetScale = targetScale;
    }

    /** @param classCount 0 for regression */
    static LinearBaseline fit(DenseRows rows, int classCount) {
        int columns = rows.columns();
        double[] mean = new double[columns];
        double[] scale = new double[columns];
        columnMoments(rows, mean, scale);
        double[][] x = new double[rows.rows()][];
        for (int i = 0; i < rows.rows(); i++) {
            x[i] = standardized(rows.row(i), mean, scale);
        }
        if (classCount == 0) {
            double targetMean = 0;
            for (int i = 0; i < rows.rows(); i++) {
                targetMean += rows.label(i) / rows.rows();
            }
            double variance = 0;
            for (int i = 0; i < rows.rows(); i++) {
                variance += Math.pow(rows.label(i) - targetMean, 2) / rows.rows();
            }
            double targetScale = variance > 0 ? Math.sqrt(variance) : 1;
            double[] y = new double[rows.rows()];
            for (int i = 0; i < y.length; i++) {
                y[i] = (rows.label(i) - targetMean) / targetScale;
            }
            return new LinearBaseline(0, mean, scale, descend(x, y, null, 1), targetMean, targetScale);
        }
        int[] classes = new int[rows.rows()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = (int) rows.label(i);
        }
        return new LinearBaseline(classCount, mean, scale, descend(x, null, classes, classCount), 0, 1);
    }

    Prediction[] predictAll(DenseRows rows) {
        Prediction[] predictions = new Prediction[rows.rows()];
        for (int i = 0; i < predictions.length; i++) {
            double[] scores = scores(weights, standardized(rows.row(i), mean, scale));
            if (classCount == 0) {
                predictions[i] = Prediction.regression(scores[0] * targetScale + targetMean);
            } else {
                softmax(scores);
                int best = 0;
                for (int k = 1; k < scores.length; k++) {
                    best = scores[k] > scores[best] ? k : best;
                }
                predictions[i] = new Prediction(best, scores);
            }
        }
        return predictions;
    }

    /**
     * Weights per output (one for values, one per class), the intercept last. Many strongly correlated columns (one-hot
     * or hashed buckets) can make a step too long: then the descent starts again with half the rate.
     */
    private static double[][] descend(double[][] x, double[] y, int[] classes, int outputs) {
        double rate = y != null ? RATE / 5 : RATE;
        for (int attempt = 0; attempt < 20; attempt++, rate /= 2) {
            double[][] weights = descend(x, y, classes, outputs, rate);
            if (Arrays.stream(weights).flatMapToDouble(Arrays::stream).allMatch(Double::isFinite)) {
                return weights;
            }
        }
        return new double[outputs][(x.length == 0 ? 0 : x[0].length) + 1];
    }

    /** Full-batch gradient descent with momentum on the mean loss. */
    private static double[][] descend(double[][] x, double[] y, int[] classes, int outputs, double rate) {
        int columns = x.length == 0 ? 0 : x[0].length;
        double[][] weights = new double[outputs][columns + 1];
        double[][] velocity = new double[outputs][columns + 1];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            double[][] gradient = new double[outputs][columns + 1];
            for (int i = 0; i < x.length; i++) {
                double[] scores = scores(weights, x[i]);
                if (y != null) {
                    scores[0] -= y[i];
                } else {
                    softmax(scores);
                    scores[classes[i]] -= 1;
                }
                for (int k = 0; k < outputs; k++) {
                    for (int c = 0; c < columns; c++) {
                        gradient[k][c] += scores[k] * x[i][c] / x.length;
                    }
                    gradient[k][columns] += scores[k] / x.length;
                }
            }
            for (int k = 0; k < outputs; k++) {
                for (int c = 0; c <= columns; c++) {
                    double penalty = c < columns ? L2 * weights[k][c] : 0;
                    velocity[k][c] = MOMENTUM * velocity[k][c] - rate * (gradient[k][c] + penalty);
                    weights[k][c] += velocity[k][c];
                }
            }
        }
        return weights;
    }

    private static double[] scores(double[][] weights, double[] row) {
        double[] scores = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            double sum = weights[k][row.length];
            for (int c = 0; c < row.length; c++) {
                sum += weights[k][c] * row[c];
            }
            scores[k] = sum;
        }
        return scores;
    }

    private static void softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double score : scores) {
            max = Math.max(max, score);
        }
        double sum = 0;
        for (int k = 0; k < scores.length; k++) {
            scores[k] = Math.exp(scores[k] - max);
            sum += scores[k];
        }
        for (int k = 0; k < scores.length; k++) {
            scores[k] /= sum;
        }
    }

    private static void columnMoments(DenseRows rows, double[] mean, double[] scale) {
        int columns = rows.columns();
        long[] counts = new long[columns];
        double[] squares = new double[columns];
        for (int i = 0; i < rows.rows(); i++) {
            for (int c = 0; c < columns; c++) {
                float value = rows.values()[i * columns + c];
                if (!Float.isNaN(value)) {
                    counts[c]++;
                    double delta = value - mean[c];
                    mean[c] += delta / counts[c];
                    squares[c] += delta * (value - mean[c]);
                }
            }
        }
        for (int c = 0; c < columns; c++) {
            double std = counts[c] > 1 ? Math.sqrt(squares[c] / counts[c]) : 0;
            scale[c] = std > 0 ? std : 1;
        }
    }

    private static double[] standardized(float[] row, double[] mean, double[] scale) {
        double[] values = new double[row.length];
        for (int c = 0; c < row.length; c++) {
            values[c] = Float.isNaN(row[c]) ? 0 : (row[c] - mean[c]) / scale[c];
        }
        return values;
    }
}
