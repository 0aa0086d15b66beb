package io.streamlearn.core.eval;

import io.streamlearn.core.learn.Prediction;

/**
 * MAE, MSE, RMSE and R², cumulative and over the last {@code window} labels. An instance the learner could not predict
 * yet is not scored, as MOA's {@code BasicRegressionPerformanceEvaluator} skips a prediction without votes.
 */
final class RegressionEvaluator implements PrequentialEvaluator {

    private static final long serialVersionUID = 1L;

    private final double[] windowErrors;
    private final double[] windowLabels;
    private long instances;
    private double sumAbsoluteError;
    private double sumSquaredError;
    // Welford's running mean and sum of squared deviations of the labels, for R² = 1 - SSE / SST.
    private double labelMean;
    private double labelDeviations;

    RegressionEvaluator(int windowSize) {
        this.windowErrors = new double[windowSize];
        this.windowLabels = new double[windowSize];
    }

    @Override
    public void record(double label, Prediction prediction) {
        if (!prediction.hasValue()) {
            return;
        }
        double error = label - prediction.value();
        sumAbsoluteError += Math.abs(error);
        sumSquaredError += error * error;
        instances++;
        double delta = label - labelMean;
        labelMean += delta / instances;
        labelDeviations += delta * (label - labelMean);
        int slot = (int) ((instances - 1) % windowErrors.length);
        windowErrors[slot] = error;
        windowLabels[slot] = label;
    }

    @Override
    public Evaluation evaluation() {
        Evaluation cumulative = figures(instances, sumAbsoluteError, sumSquaredError, labelDeviations);
        return cumulative.withWindow(windowErrors.length, windowFigures());
    }

    private Evaluation windowFigures() {
        int size = (int) Math.min(instances, windowErrors.length);
        double absolute = 0;
        double squared = 0;
        double mean = 0;
        for (int i = 0; i < size; i++) {
            absolute += Math.abs(windowErrors[i]);
            squared += windowErrors[i] * windowErrors[i];
            mean += windowLabels[i];
        }
        mean = size == 0 ? 0 : mean / size;
        double deviations = 0;
        for (int i = 0; i < size; i++) {
            deviations += (windowLabels[i] - mean) * (windowLabels[i] - mean);
        }
        return figures(size, absolute, squared, deviations);
    }

    private static Evaluation figures(long n, double absolute, double squared, double deviations) {
        if (n == 0) {
            return Evaluation.regression(0, 0, 0, 0);
        }
        double r2 = deviations == 0 ? 0.0 : 1.0 - squared / deviations;
        return Evaluation.regression(n, absolute / n, squared / n, r2);
    }
}
