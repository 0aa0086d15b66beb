package io.streamlearn.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One hyperparameter configuration trained at one rung of successive halving, scored on the validation split.
 *
 * @param number          the configuration's number in the random search (0-based); the same number at a later rung
 *                        is the same configuration given more rounds
 * @param rung            0 for the first rung (fewest rounds)
 * @param params          XGBoost parameters (learning rate, depth, ...), plain JSON values
 * @param roundBudget     the most boosting rounds this rung allowed
 * @param bestRounds      rounds up to the best validation score (early stopping)
 * @param metric          the validation metric ({@code logloss}, {@code mlogloss}, {@code rmse}), lower is better
 * @param validationScore the best validation score
 * @param curve           the validation score after each round: the learning curve
 * @param durationMillis  wall time of the trial
 * @param device          where XGBoost trained it, read back from its booster ({@code cpu}, {@code cuda:0}, ...)
 */
public record Trial(int number, int rung, Map<String, Object> params, int roundBudget, int bestRounds, String metric,
        double validationScore, List<Double> curve, long durationMillis, String device) {

    public Trial {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        curve = List.copyOf(curve);
    }
}
