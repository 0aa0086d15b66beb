package io.streamlearn.core.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Prequential figures at one point of a stream, as they appear in model metadata and {@code summary.json}. Fields of
 * the other task are {@code null} and left out of the JSON; {@code window} holds the same figures over the most
 * recent instances only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(
        long instances,
        Long correct,
        Double accuracy,
        Double kappa,
        Double rocAuc,
        List<ClassScores> perClass,
        Double mae,
        Double mse,
        Double rmse,
        Double r2,
        Integer windowSize,
        Evaluation window) {

    /** Precision, recall and F1 of one class, treating it as the positive class. */
    public record ClassScores(String label, double precision, double recall, double f1) {
    }

    public static Evaluation classification(long instances, long correct, double accuracy, double kappa, Double rocAuc,
            List<ClassScores> perClass) {
        return new Evaluation(instances, correct, accuracy, kappa, rocAuc, perClass, null, null, null, null, null, null);
    }

    public static Evaluation regression(long instances, double mae, double mse, double r2) {
        return new Evaluation(instances, null, null, null, null, null, mae, mse, Math.sqrt(mse), r2, null, null);
    }

    public Evaluation withWindow(int size, Evaluation windowed) {
        return new Evaluation(instances, correct, accuracy, kappa, rocAuc, perClass, mae, mse, rmse, r2, size, windowed);
    }
}
