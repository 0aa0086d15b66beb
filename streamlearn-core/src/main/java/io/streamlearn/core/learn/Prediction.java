package io.streamlearn.core.learn;

/**
 * What a learner says about one instance. For classification {@code scores} holds one normalised score per declared
 * class and {@code value} the index of the predicted class; for regression {@code scores} is empty and {@code value}
 * is the predicted value, {@code NaN} while the learner cannot predict yet (a rule set or a linear model before its
 * first instance). For anomaly detection {@code value} is the anomaly score (higher is more anomalous); for
 * clustering it is the cluster id and {@code scores} holds the distances to that cluster's centre and to the
 * second-nearest centre. Both are
 * {@code NaN} while the learner cannot answer yet (a detector filling its reference window, a clusterer before its
 * first clusters).
 */
public record Prediction(double value, double[] scores) {

    public static Prediction regression(double value) {
        return new Prediction(value, new double[0]);
    }

    public static Prediction anomaly(double score) {
        return new Prediction(score, new double[0]);
    }

    /** @param secondDistance distance to the second-nearest centre, {@code NaN} with a single cluster */
    public static Prediction cluster(int id, double distance, double secondDistance) {
        return new Prediction(id, new double[] {distance, secondDistance});
    }

    /** A clusterer's or detector's answer before it can give one. */
    public static Prediction none() {
        return new Prediction(Double.NaN, new double[0]);
    }

    /** The distance of the event to its cluster's centre; {@code NaN} when there is none. */
    public double clusterDistance() {
        return scores.length == 2 && hasValue() ? scores[0] : Double.NaN;
    }

    /** False for a regressor that could not predict yet: such a prediction is served as {@code null} and not scored. */
    public boolean hasValue() {
        return !Double.isNaN(value);
    }

    public int predictedClass() {
        return (int) value;
    }
}
