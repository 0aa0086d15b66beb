package io.streamlearn.retrain.learn;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.batch.Champion;
import io.streamlearn.batch.LabeledWindow;
import io.streamlearn.batch.RetrainException;
import io.streamlearn.batch.RetrainOutcome;
import io.streamlearn.batch.RetrainPipeline;
import io.streamlearn.batch.RetrainSettings;
import io.streamlearn.core.config.ConfigValues;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.schema.Task;
import io.streamlearn.retrain.run.ChallengerTrainer;
import io.streamlearn.retrain.run.Champions;
import io.streamlearn.retrain.run.TrainingFailedException;
import io.streamlearn.retrain.run.TrainingResult;
import io.streamlearn.retrain.window.TrainingWindow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The batch learner's {@link RetrainPipeline} (XGBoost: tuning, time-series CV, champion/challenger gate) behind the
 * service's {@link ChallengerTrainer} seam. The champions are restored from their snapshots for each run, so the
 * pipeline predicts with copies nobody else is training.
 */
public final class BatchChallengerTrainer implements ChallengerTrainer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RetrainSettings settings;

    public BatchChallengerTrainer(RetrainSettings settings) {
        this.settings = settings;
    }

    /** The pipeline's settings from the {@code retrain.*} keys (docs/retraining.md). */
    public static BatchChallengerTrainer fromSettings(Map<String, String> values) {
        return new BatchChallengerTrainer(RetrainSettings.from(new ConfigValues(values)));
    }

    @Override
    public TrainingResult train(TrainingWindow window, Champions champions, Consumer<Map<String, Object>> trials)
            throws TrainingFailedException {
        LabeledWindow labeled = new LabeledWindow(window.schema(), Arrays.asList(window.features()), window.labels(),
                window.times());
        List<Champion> opponents = new ArrayList<>();
        champions.onlineVersion().ifPresent(snapshot -> opponents.add(champion("online", snapshot)));
        champions.batchVersion().ifPresent(snapshot -> opponents.add(champion("batch", snapshot)));
        RetrainOutcome outcome;
        try {
            outcome = new RetrainPipeline(settings).run(labeled, opponents,
                    trial -> trials.accept(asJson(trial)));
        } catch (RetrainException e) {
            throw new TrainingFailedException(e.reason().name().toLowerCase(Locale.ROOT), e.getMessage(), e);
        }
        String metric = window.schema().task() == Task.REGRESSION ? "mae" : "accuracy";
        Map<String, Double> championMetrics = new LinkedHashMap<>();
        outcome.testScores().forEach((label, evaluation) -> {
            if (!label.equals(RetrainPipeline.CHALLENGER)) {
                championMetrics.put(label, metric(evaluation, metric));
            }
        });
        // Version and creation time are the promotion's; the run adds its own provenance when it publishes.
        ModelSnapshot challenger = outcome.snapshot(0, Map.of(), System.currentTimeMillis());
        return new TrainingResult(outcome.gate().promote(), outcome.gate().reason(), outcome.device().used(),
                challenger, outcome.provenance(), metric,
                metric(outcome.testScores().get(RetrainPipeline.CHALLENGER), metric), championMetrics);
    }

    private static Champion champion(String label, ModelSnapshot snapshot) {
        return new Champion(label, snapshot.metadata(), snapshot.restoreLearner());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asJson(Object value) {
        return JSON.convertValue(value, Map.class);
    }

    private static double metric(Evaluation evaluation, String metric) {
        Double value = metric.equals("mae") ? evaluation.mae() : evaluation.accuracy();
        return value == null ? Double.NaN : value;
    }
}
