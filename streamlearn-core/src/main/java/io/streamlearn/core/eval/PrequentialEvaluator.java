package io.streamlearn.core.eval;

import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import java.io.Serializable;

/**
 * Scores predictions against labels as they arrive (test-then-train), cumulatively and over a sliding window.
 * Serializable so that it is checkpointed with the learner and recovers with it.
 */
public interface PrequentialEvaluator extends Serializable {

    int DEFAULT_WINDOW = 1000;

    /**
     * @param label the true class index or target value
     */
    void record(double label, Prediction prediction);

    Evaluation evaluation();

    static PrequentialEvaluator forSchema(FeatureSchema schema, int windowSize) {
        return schema.target().isNominal()
                ? new ClassificationEvaluator(schema.target().values(), windowSize)
                : new RegressionEvaluator(windowSize);
    }
}
