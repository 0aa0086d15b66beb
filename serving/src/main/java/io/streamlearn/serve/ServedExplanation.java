package io.streamlearn.serve;

import io.streamlearn.core.learn.Explanation;

/** One instance's explanation with its prediction as the API names it (class label and scores, or the value). */
public record ServedExplanation(Explanation explanation, ServedPrediction prediction) {
}
