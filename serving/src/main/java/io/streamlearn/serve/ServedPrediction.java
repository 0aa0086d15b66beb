package io.streamlearn.serve;

/**
 * A prediction as the API returns it.
 *
 * @param prediction the class label (a {@link String}) for classification, the predicted value (a {@link Double})
 *                   for regression, the anomaly score (a {@link Double}) for an anomaly detector, the cluster id (an
 *                   {@link Integer}) for a clusterer; {@code null} while an unsupervised learner cannot answer yet
 * @param scores     the normalised score of every declared class in declaration order; empty for the other tasks
 */
public record ServedPrediction(Object prediction, ClassScores scores) {

    public ServedPrediction {
        scores = scores == null ? ClassScores.NONE : scores;
    }
}
