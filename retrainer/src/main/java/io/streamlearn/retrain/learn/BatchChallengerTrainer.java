package io.streamlearn.retrain.learn;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.batch.Champion;
import io.streamlearn.batch.LabeledWindow;
import io.streamlearn.batch.RetrainException;
import io.streamlearn.batch.RetrainOutcome;
import io.streamlearn.batch.RetrainPipeline;
import io.streamlearn.batch.RetrainSettings;
import io.streamlearn.core.config.ConfigValues;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.schema.Task;
import io.streamlearn.retrain.run.ChallengerTrainer;
import io.streamlearn.retrain.run.Champions;
import io.streamlearn.retrain.run.TrainingFailedException;
import io.streamlearn.retrain.run.TrainingResult;
import io.streamlearn.retrain.window.TrainingWindow;
import io.streamlearn.runtime.health.PartFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch learner's {@link RetrainPipeline} (XGBoost: tuning, time-series CV, champion/challenger gate) behind the
 * service's {@link ChallengerTrainer} seam. The champions are restored from their snapshots for each run, so the
 * pipeline predicts with copies nobody else is training.
 */
public final class BatchChallengerTrainer implements ChallengerTrainer, MeterBinder {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(BatchChallengerTrainer.class);

    private final RetrainSettings settings;
    private final AtomicLong unreadable = new AtomicLong();

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
        champions.onlineVersion().flatMap(snapshot -> champion("online", snapshot, window.recorded()))
                .ifPresent(opponents::add);
        champions.batchVersion().flatMap(snapshot -> champion("batch", snapshot, null)).ifPresent(opponents::add);
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

    /**
     * The champion restored from its snapshot, with the predictions it made for the window's rows as they came where
     * known (the online model's), or empty when its learner state does not restore (refused by the
     * deserialization allow-list, out of memory or stack decoding it): the record on {@code models} is hostile or
     * broken, so the run goes on without that opponent rather than failing on it, and the refusal is counted.
     */
    private Optional<Champion> champion(String label, ModelSnapshot snapshot, List<Prediction> recorded) {
        try {
            return Optional.of(new Champion(label, snapshot.metadata(), snapshot.restoreLearner(), recorded));
        } catch (Throwable e) {
            PartFailure.rethrowIfFatal(e);
            unreadable.incrementAndGet();
            LOG.warn("The {} champion {} v{} is not used: its learner state does not restore: {}", label,
                    snapshot.metadata().model(), snapshot.metadata().version(), PartFailure.describe(e));
            return Optional.empty();
        }
    }

    /** Champions whose learner state did not restore, since this trainer was created. */
    public long unreadableChampions() {
        return unreadable.get();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("streamlearn.retrain.models.skipped", unreadable, AtomicLong::get)
                .tag("reason", "unreadable")
                .description("Snapshots of the models topic not used: a champion whose learner state does not restore")
                .register(registry);
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
