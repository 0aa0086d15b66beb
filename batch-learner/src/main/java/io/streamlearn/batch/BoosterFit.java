package io.streamlearn.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * One XGBoost fit, round by round, so that the validation curve is ours and early stopping is explicit: stop after
 * {@code patience} rounds without a better validation score, the rule of XGBoost's own {@code early_stopping_rounds}.
 *
 * @param booster    the fitted model (with every round trained, also those after the best)
 * @param curve      validation score after each round; empty without validation rows
 * @param bestRounds rounds up to and including the best validation score (all rounds without validation rows)
 * @param bestScore  the best validation score ({@code NaN} without validation rows)
 * @param device     where XGBoost really trained this booster, in its own words ({@code cpu}, {@code cuda:0}, ...;
 *                   {@link BoosterConfig}): a {@code device=cuda} parameter falls back to the CPU without failing
 */
record BoosterFit(Booster booster, List<Double> curve, int bestRounds, double bestScore, String device) {

    static BoosterFit train(Map<String, Object> params, DenseRows train, DenseRows validation, int rounds,
            int patience) {
        DMatrix trainMatrix = null;
        DMatrix validationMatrix = null;
        try {
            trainMatrix = train.matrix();
            validationMatrix = validation == null ? null : validation.matrix();
            Map<String, DMatrix> watches = new HashMap<>();
            if (validationMatrix != null) {
                watches.put("validation", validationMatrix);
            }
            Booster booster = XGBoost.train(trainMatrix, params, 0, watches, null, null);
            List<Double> curve = new ArrayList<>();
            int best = rounds;
            double bestScore = Double.NaN;
            for (int round = 0; round < rounds; round++) {
                booster.update(trainMatrix, round);
                if (validationMatrix == null) {
                    continue;
                }
                float[] score = new float[1];
                booster.evalSet(new DMatrix[] {validationMatrix}, new String[] {"validation"}, round, score);
                curve.add((double) score[0]);
                if (Double.isNaN(bestScore) || score[0] < bestScore) {
                    bestScore = score[0];
                    best = round + 1;
                } else if (round + 1 - best >= patience) {
                    break;
                }
            }
            return new BoosterFit(booster, curve, best, bestScore, BoosterConfig.device(booster));
        } catch (XGBoostError e) {
            throw new RetrainException(RetrainException.Reason.TRAINING_FAILED, "XGBoost failed: " + e.getMessage(), e);
        } finally {
            if (trainMatrix != null) {
                trainMatrix.dispose();
            }
            if (validationMatrix != null) {
                validationMatrix.dispose();
            }
        }
    }
}
