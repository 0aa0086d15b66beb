package io.streamlearn.cli.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.streamlearn.core.eval.Evaluation;

/**
 * What {@code demo-out/summary.json} holds. {@code correct}, {@code accuracy} and {@code kappa} are the trainer's own
 * prequential figures from its last snapshot (MOA semantics: each event predicted, then learned);
 * {@code mae}, {@code mse}, {@code rmse} and {@code r2} take their place for a numeric target; {@code eventsPerSecond} is events over the time from the first produced event to the last committed output.
 * {@code drift} is what the drift monitor, run beside the trainer, alerted ({@link DriftSummary}).
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
        double eventsPerSecond,
        long modelVersion,
        long servedVersion,
        Evaluation evaluation,
        DriftSummary drift) {
}
