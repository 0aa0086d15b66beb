package io.streamlearn.core.eval;

import io.streamlearn.core.learn.Prediction;

/**
 * MAE, MSE, RMSE and R², cumulative and over the last {@code window} labels; MAE, MSE and RMSE with a fading factor;
 * quantiles of the window's residuals. An instance the learner could not predict
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
    // Gama et al. 2013: faded sums of absolute and squared errors over a faded count.
    private double fadingFactor;
    private double fadedAbsolute;
    private double fadedSquared;
    private double fadedCount;

    RegressionEvaluator(int windowSize) {
        this(windowSize, DEFAULT_FADING_FACTOR);
    }

    RegressionEvaluator(int windowSize, double fadingFactor) {
        this.fadingFactor = fadingFactor;
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
        fadedAbsolute = Math.abs(error) + fadingFactor * fadedAbsolute;
        fadedSquared = error * error + fadingFactor * fadedSquared;
        fadedCount = 1 + fadingFactor * fadedCount;
    }

    @Override
    public Evaluation evaluation() {
        Evaluation cumulative = figures(instances, sumAbsoluteError, sumSquaredError, labelDeviations)
                .withWindow(windowErrors.length, windowFigures());
        if (instances > 0) {
            cumulative = cumulative.withResiduals(residuals());
        }
        // A checkpoint written before fading figures existed restores with α = 0: no fading figures then.
        if (fadingFactor == 0 || fadedCount == 0) {
            return cumulative;
        }
        return cumulative.withFading(fadingFactor,
                Evaluation.fadingErrors(instances, fadedAbsolute / fadedCount, fadedSquared / fadedCount));
    }

    /** Quantiles of the window's residuals (label - prediction), nearest-rank. */
    private Evaluation.Residuals residuals() {
        int size = (int) Math.min(instances, windowErrors.length);
        double[] sorted = java.util.Arrays.copyOf(windowErrors, size);
        java.util.Arrays.sort(sorted);
        return new Evaluation.Residuals(quantile(sorted, 0.05), quantile(sorted, 0.25), quantile(sorted, 0.5),
                quantile(sorted, 0.75), quantile(sorted, 0.95));
    }

    static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
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
