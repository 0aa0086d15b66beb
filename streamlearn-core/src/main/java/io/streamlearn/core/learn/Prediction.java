package io.streamlearn.core.learn;

/**
 * What a learner says about one instance. For classification {@code scores} holds one normalised score per declared
 * class and {@code value} the index of the predicted class; for regression {@code scores} is empty and {@code value}
 * is the predicted value.
 */
public record Prediction(double value, double[] scores) {

    public static Prediction regression(double value) {
        return new Prediction(value, new double[0]);
    }

    public int predictedClass() {
        return (int) value;
    }
}
