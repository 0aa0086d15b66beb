package io.streamlearn.core.learn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a model predicted what it did for one instance: additive per-feature contributions (SHAP values) on the model's
 * raw score, so {@code baseValue + sum(contributions) == margin}.
 *
 * @param baseValue     the model's expected raw score (the contribution of no feature)
 * @param contributions per output column of the feature pipeline, in pipeline order
 * @param margin        the raw score (log-odds for binary classes, the predicted class's score for several, the value
 *                      for regression)
 * @param prediction    what {@link OnlineLearner#predict} says for the same instance
 */
public record Explanation(double baseValue, Map<String, Double> contributions, double margin, Prediction prediction) {

    public Explanation {
        contributions = Collections.unmodifiableMap(new LinkedHashMap<>(contributions));
    }
}
