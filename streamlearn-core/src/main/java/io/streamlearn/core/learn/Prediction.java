package io.streamlearn.core.learn;

/**
 * What a learner says about one instance. For classification {@code scores} holds one normalised score per declared
 * class and {@code value} the index of the predicted class; for regression {@code scores} is empty and {@code value}
 * is the predicted value, {@code NaN} while the learner cannot predict yet (a rule set or a linear model before its
 * first instance).
 */
public record Prediction(double value, double[] scores) {

    public static Prediction regression(double value) {
        return new Prediction(value, new double[0]);
    }

    /** False for a regressor that could not predict yet: such a prediction is served as {@code null} and not scored. */
    public boolean hasValue() {
        return !Double.isNaN(value);
    }

    public int predictedClass() {
        return (int) value;
    }
}
