package io.streamlearn.core.eval;

import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import java.io.Serializable;

/**
 * Scores predictions against labels as they arrive (test-then-train), cumulatively, over a sliding window and with a
 * fading factor.
 * Serializable so that it is checkpointed with the learner and recovers with it.
 */
public interface PrequentialEvaluator extends Serializable {

    int DEFAULT_WINDOW = 1000;
    /** Gama et al. 2013 use α between 0.99 and 0.9999; 0.999 weighs about the last thousand instances. */
    double DEFAULT_FADING_FACTOR = 0.999;

    /**
     * @param label the true class index or target value
     */
    void record(double label, Prediction prediction);

    /**
     * Sees the prediction made for every event, labelled or not, after {@link #record} for an inline label. Returns
     * true when the event raises an alert (an anomaly detector's score passing its {@link AlertRule}); clustering
     * quality is measured here, as it needs no label.
     */
    default boolean observe(Prediction prediction) {
        return false;
    }

    Evaluation evaluation();

    /** For a shard of a sharded ensemble, whose votes are scored only as part of its model's prediction. */
    static PrequentialEvaluator unscored() {
        return new Unscored();
    }

    static PrequentialEvaluator forSchema(FeatureSchema schema, int windowSize) {
        return forSchema(schema, windowSize, DEFAULT_FADING_FACTOR, AlertRule.topRate(AlertRule.DEFAULT_RATE));
    }

    /**
     * @param fadingFactor α of the fading-factor figures, in (0, 1]
     * @param alerts       when an anomaly detector's score alerts; unused by the other tasks
     */
    static PrequentialEvaluator forSchema(FeatureSchema schema, int windowSize, double fadingFactor,
            AlertRule alerts) {
        return switch (schema.task()) {
            case CLASSIFICATION -> new ClassificationEvaluator(schema.target().values(), windowSize, fadingFactor);
            case REGRESSION -> new RegressionEvaluator(windowSize, fadingFactor);
            case ANOMALY -> new AnomalyEvaluator(windowSize, alerts);
            case CLUSTER -> new ClusterEvaluator(windowSize);
        };
    }
}
