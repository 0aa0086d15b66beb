package io.streamlearn.batch;

import java.util.List;

/**
 * Expanding-window time-series cross-validation of the final candidate over the rows before the test split: fold
 * {@code i} trains on blocks {@code 0..i} and scores block {@code i+1}, so no fold sees the future of what it scores.
 *
 * @param metric the gate's error ({@code error} = 1 - accuracy for classes, {@code mae} for values)
 * @param folds  the error of each fold, oldest first
 */
public record CrossValidation(String metric, List<Double> folds, double mean, double std) {

    public CrossValidation {
        folds = List.copyOf(folds);
    }

    static CrossValidation of(String metric, List<Double> folds) {
        double mean = folds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double squares = folds.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double std = folds.size() > 1 ? Math.sqrt(squares / (folds.size() - 1)) : 0;
        return new CrossValidation(metric, folds, mean, std);
    }
}
