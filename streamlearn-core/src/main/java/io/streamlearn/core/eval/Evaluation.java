package io.streamlearn.core.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Prequential figures at one point of a stream, as they appear in model metadata and {@code summary.json}. Fields of
 * the other tasks are {@code null} and left out of the JSON; {@code window} holds the same figures over the most
 * recent instances only, {@code fading} the fading-factor figures (Gama, Sebastião and Rodrigues 2013: each older
 * instance weighs {@code fadingFactor} times less).
 *
 * <p>Anomaly detection: {@code instances} events scored, {@code alerts} of them alerted, and over the last
 * {@code windowSize} labelled events {@code rocAuc} and {@code precisionAtK} (k = the number of true anomalies among
 * them, R-precision). Clustering: {@code clusters} ids in use, {@code ssq} the mean squared distance of an event to
 * its cluster's centre and {@code silhouette} the mean simplified silhouette (Hruschka et al. 2004: {@code (b - a) /
 * max(a, b)} with a, b the distances to the nearest and second-nearest centre), both measured when the event was
 * assigned.
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
        Evaluation window,
        Double precisionAtK,
        Long alerts,
        Integer clusters,
        Double ssq,
        Double silhouette,
        Residuals residuals,
        Double fadingFactor,
        Evaluation fading) {

    /** Precision, recall and F1 of one class, treating it as the positive class. */
    public record ClassScores(String label, double precision, double recall, double f1) {
    }

    /** Quantiles of the residuals (label minus prediction) over the evaluation window. */
    public record Residuals(double p05, double p25, double p50, double p75, double p95) {
    }

    public Evaluation(long instances, Long correct, Double accuracy, Double kappa, Double rocAuc,
            List<ClassScores> perClass, Double mae, Double mse, Double rmse, Double r2, Integer windowSize,
            Evaluation window) {
        this(instances, correct, accuracy, kappa, rocAuc, perClass, mae, mse, rmse, r2, windowSize, window,
                null, null, null, null, null, null, null, null);
    }

    public static Evaluation classification(long instances, long correct, double accuracy, double kappa, Double rocAuc,
            List<ClassScores> perClass) {
        return new Evaluation(instances, correct, accuracy, kappa, rocAuc, perClass, null, null, null, null, null, null);
    }

    public static Evaluation regression(long instances, double mae, double mse, double r2) {
        return new Evaluation(instances, null, null, null, null, null, mae, mse, Math.sqrt(mse), r2, null, null);
    }

    public static Evaluation anomaly(long scored, long alerts, int windowSize, Double rocAuc, Double precisionAtK) {
        return new Evaluation(scored, null, null, null, rocAuc, null, null, null, null, null, windowSize, null,
                precisionAtK, alerts, null, null, null, null, null, null);
    }

    public static Evaluation cluster(long assigned, int clusters, double ssq, double silhouette) {
        return new Evaluation(assigned, null, null, null, null, null, null, null, null, null, null, null,
                null, null, clusters, ssq, silhouette, null, null, null);
    }

    /** Fading-factor figures after {@code instances}: only the accuracy, or only the errors, are set. */
    static Evaluation fadingAccuracy(long instances, double accuracy) {
        return new Evaluation(instances, null, accuracy, null, null, null, null, null, null, null, null, null);
    }

    static Evaluation fadingErrors(long instances, double mae, double mse) {
        return new Evaluation(instances, null, null, null, null, null, mae, mse, Math.sqrt(mse), null, null, null);
    }

    public Evaluation withWindow(int size, Evaluation windowed) {
        return new Evaluation(instances, correct, accuracy, kappa, rocAuc, perClass, mae, mse, rmse, r2, size, windowed,
                precisionAtK, alerts, clusters, ssq, silhouette, residuals, fadingFactor, fading);
    }

    public Evaluation withFading(double factor, Evaluation faded) {
        return new Evaluation(instances, correct, accuracy, kappa, rocAuc, perClass, mae, mse, rmse, r2, windowSize,
                window, precisionAtK, alerts, clusters, ssq, silhouette, residuals, factor, faded);
    }

    public Evaluation withResiduals(Residuals quantiles) {
        return new Evaluation(instances, correct, accuracy, kappa, rocAuc, perClass, mae, mse, rmse, r2, windowSize,
                window, precisionAtK, alerts, clusters, ssq, silhouette, quantiles, fadingFactor, fading);
    }
}
