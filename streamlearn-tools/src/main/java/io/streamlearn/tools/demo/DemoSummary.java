package io.streamlearn.tools.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.eval.InterleavedComparison;
import java.util.List;

/**
 * What {@code demo-out/summary.json} holds. {@code correct}, {@code accuracy} and {@code kappa} are the trainer's own
 * prequential figures from its last snapshot (MOA semantics: each event predicted, then learned);
 * {@code mae}, {@code mse}, {@code rmse} and {@code r2} take their place for a numeric target; {@code eventsPerSecond}
 * is events over {@code seconds}, the time from the first event the trainer processed to the last committed output;
 * {@code startupSeconds} is the time before that, from the first produced event (the trainer's start and first
 * rebalance), left out of the rate so that it compares with {@code streamlearn bench}'s steady state;
 * {@code steadyEventsPerSecond} is the trainer's rate over the second half of the events (its own count), past the
 * first seconds of a JVM still compiling its code (absent when that half took less than one poll).
 *
 * <p>Added without changing those: {@code task}; for an anomaly detector {@code rocAuc}, {@code precisionAtK} and
 * {@code alerts}; for a clusterer {@code clusters}, {@code ssq} and {@code silhouette} (see {@link Evaluation}); and,
 * when several learners were given, {@code comparison}: each learner's prequential result on the same events, run
 * interleaved in-process. {@code drift} is what the drift monitor, run beside the trainer, alerted
 * ({@link DriftSummary}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DemoSummary(
        String model,
        String learner,
        String data,
        String processingGuarantee,
        long events,
        long predictions,
        long dlq,
        Long correct,
        Double accuracy,
        Double kappa,
        Double mae,
        Double mse,
        Double rmse,
        Double r2,
        long labelsLearned,
        double seconds,
        double startupSeconds,
        double eventsPerSecond,
        long modelVersion,
        long servedVersion,
        Evaluation evaluation,
        DriftSummary drift,
        String task,
        Double rocAuc,
        Double precisionAtK,
        Long alerts,
        Integer clusters,
        Double ssq,
        Double silhouette,
        List<Compared> comparison,
        Integer shards,
        Double steadyEventsPerSecond) {

    /**
     * One learner of an interleaved comparison: its final prequential figures, its time predicting and learning, and
     * its curve of the task's headline figure (accuracy, RMSE, ROC-AUC or SSQ) for plotting side by side.
     */
    public record Compared(String learner, double seconds, Evaluation evaluation,
            List<InterleavedComparison.CurvePoint> curve) {

        static Compared of(InterleavedComparison.Result result) {
            return new Compared(result.learner(), result.seconds(), result.evaluation(), result.curve());
        }
    }

    /** The summary as the demo writes it for one learner; the task's own figures are taken from {@code evaluation}. */
    public DemoSummary(String model, String learner, String data, String processingGuarantee, long events,
            long predictions, long dlq, Long correct, Double accuracy, Double kappa, Double mae, Double mse, Double rmse,
            Double r2, long labelsLearned, double seconds, double startupSeconds, double eventsPerSecond,
            long modelVersion, long servedVersion, Evaluation evaluation, DriftSummary drift) {
        this(model, learner, data, processingGuarantee, events, predictions, dlq, correct, accuracy, kappa, mae, mse,
                rmse, r2, labelsLearned, seconds, startupSeconds, eventsPerSecond, modelVersion, servedVersion,
                evaluation, drift, taskOf(evaluation), evaluation == null || evaluation.alerts() == null ? null : evaluation.rocAuc(),
                evaluation == null ? null : evaluation.precisionAtK(), evaluation == null ? null : evaluation.alerts(),
                evaluation == null ? null : evaluation.clusters(), evaluation == null ? null : evaluation.ssq(),
                evaluation == null ? null : evaluation.silhouette(), null, null, null);
    }

    private static String taskOf(Evaluation evaluation) {
        if (evaluation == null) {
            return null;
        }
        if (evaluation.alerts() != null) {
            return "anomaly";
        }
        if (evaluation.clusters() != null) {
            return "cluster";
        }
        return evaluation.accuracy() != null ? "classification" : "regression";
    }

    /** This summary with the results of an interleaved comparison of several learners. */
    public DemoSummary withComparison(List<InterleavedComparison.Result> results) {
        return new DemoSummary(model, learner, data, processingGuarantee, events, predictions, dlq, correct, accuracy,
                kappa, mae, mse, rmse, r2, labelsLearned, seconds, startupSeconds, eventsPerSecond, modelVersion,
                servedVersion, evaluation, drift, task, rocAuc, precisionAtK, alerts, clusters, ssq, silhouette,
                results.stream().map(Compared::of).toList(), shards, steadyEventsPerSecond);
    }

    /** This summary of a model trained in {@code count} shards ({@code null}: unsharded). */
    public DemoSummary withShards(Integer count) {
        return new DemoSummary(model, learner, data, processingGuarantee, events, predictions, dlq, correct, accuracy,
                kappa, mae, mse, rmse, r2, labelsLearned, seconds, startupSeconds, eventsPerSecond, modelVersion,
                servedVersion, evaluation, drift, task, rocAuc, precisionAtK, alerts, clusters, ssq, silhouette,
                comparison, count, steadyEventsPerSecond);
    }

    /** This summary with the trainer's rate over the second half of the events ({@link SteadyRate}), when measured. */
    public DemoSummary withSteadyEventsPerSecond(java.util.OptionalDouble rate) {
        return new DemoSummary(model, learner, data, processingGuarantee, events, predictions, dlq, correct, accuracy,
                kappa, mae, mse, rmse, r2, labelsLearned, seconds, startupSeconds, eventsPerSecond, modelVersion,
                servedVersion, evaluation, drift, task, rocAuc, precisionAtK, alerts, clusters, ssq, silhouette,
                comparison, shards, rate.isPresent() ? rate.getAsDouble() : null);
    }
}
