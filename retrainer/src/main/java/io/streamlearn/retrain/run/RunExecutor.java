package io.streamlearn.retrain.run;

import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.retrain.run.RunPorts.ChampionSource;
import io.streamlearn.retrain.run.RunPorts.Promotion;
import io.streamlearn.retrain.run.RunPorts.RunLog;
import io.streamlearn.retrain.run.RunPorts.WindowSource;
import io.streamlearn.retrain.window.TrainingWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run, start to end: champions, window, training, then the gate's verdict. Every run is recorded when it starts and
 * when it ends; only a promoted run publishes anything, and it publishes its model, pin and final record together, so
 * a failed or rejected run leaves what is served untouched.
 */
public final class RunExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);

    private final WindowSource windows;
    private final ChampionSource champions;
    private final ChallengerTrainer trainer;
    private final RunLog log;
    private final Promotion promotion;
    private final boolean promote;
    private final int referenceRows;
    private final LongSupplier clock;
    private final RunObserver observer;

    /**
     * @param promote       whether a winning challenger is published; otherwise its run ends {@code succeeded}
     * @param referenceRows the most rows of the train split published as the drift monitor's reference (0: none)
     */
    public RunExecutor(WindowSource windows, ChampionSource champions, ChallengerTrainer trainer, RunLog log,
            Promotion promotion, boolean promote, int referenceRows, LongSupplier clock, RunObserver observer) {
        this.windows = windows;
        this.champions = champions;
        this.trainer = trainer;
        this.log = log;
        this.promotion = promotion;
        this.promote = promote;
        this.referenceRows = referenceRows;
        this.clock = clock;
        this.observer = observer;
    }

    /** Runs to the end and returns the final record, already recorded. Never throws for a failed run. */
    public TrainingRun execute(String id, String model, List<RetrainRequest> trigger) {
        TrainingRun run = TrainingRun.started(id, model, clock.getAsLong(), trigger);
        log.record(run);
        Map<String, Long> phases = new LinkedHashMap<>();
        TrainingResult result = null;
        TrainingRun last = run;
        try {
            long start = clock.getAsLong();
            Champions current = champions.champions(model);
            ModelSnapshot newest = current.newest().orElseThrow(() -> new TrainingFailedException("no_model",
                    "no snapshot of model '" + model + "' on the models topic: the schema comes from it"));
            phases.put("champions", lap(start));
            start = clock.getAsLong();
            TrainingWindow window = windows.read(model, newest.metadata().schema(), trigger);
            phases.put("read", lap(start));
            run = run.withWindow(window.dataVersion(), window.size()).withPhases(phases);
            log.record(run);
            last = run;
            start = clock.getAsLong();
            List<Map<String, Object>> trials = new ArrayList<>();
            TrainingRun training = run;
            result = trainer.train(window, current, trial -> {
                trials.add(trial);
                log.record(training.withTrials(trials));
            });
            phases.put("train", lap(start));
            run = run.withTrials(trials).withResult(result.report(), result.device()).withPhases(phases);
            last = run;
            TrainingRun done = verdict(run, result, current, window);
            observer.finished(done, result);
            return done;
        } catch (TrainingFailedException e) {
            LOG.warn("Run {} of model '{}' failed ({}): {}", id, model, e.reason(), e.getMessage());
            return failed(last.withPhases(phases), e.reason() + ": " + e.getMessage(), result);
        } catch (RuntimeException e) {
            LOG.error("Run {} of model '{}' failed", id, model, e);
            return failed(last.withPhases(phases), "internal_error: " + e, result);
        }
    }

    private TrainingRun verdict(TrainingRun run, TrainingResult result, Champions current, TrainingWindow window) {
        if (!result.promote()) {
            TrainingRun rejected = run.finished(RunStatus.REJECTED, result.decision(), clock.getAsLong(), null);
            log.record(rejected);
            return rejected;
        }
        if (!promote) {
            TrainingRun succeeded = run.finished(RunStatus.SUCCEEDED, "promotion is off (retrain.promote=false): "
                    + result.decision(), clock.getAsLong(), null);
            log.record(succeeded);
            return succeeded;
        }
        long previous = current.batchVersion().map(s -> s.metadata().version()).orElse(0L);
        long now = clock.getAsLong();
        // Promotion time in epoch ms: far above any online version number, and increasing even if clocks step back.
        long version = Math.max(now, previous + 1);
        TrainingRun promoted = run.finished(RunStatus.PROMOTED, result.decision(), now, version);
        Optional<TrainingReference> reference = reference(run.model(), version, window, result);
        promotion.publish(withProvenance(result.challenger(), promoted, reference), promoted, reference);
        LOG.info("Run {} promoted model '{}' version {} ({})", run.id(), run.model(), version, result.decision());
        return promoted;
    }

    private TrainingRun failed(TrainingRun run, String reason, TrainingResult result) {
        TrainingRun failed = run.finished(RunStatus.FAILED, reason, clock.getAsLong(), null);
        log.record(failed);
        observer.finished(failed, result);
        return failed;
    }

    /**
     * The drift monitor's reference for the promoted version: the newest rows of the train split, whose size the
     * trainer's report gives ({@code split.trainRows}). None when publishing is off or the split cannot be matched
     * with the window's rows (its last train row must have the split's {@code maxTrainTime}): the monitor then falls
     * back to the traffic after the promotion.
     */
    private Optional<TrainingReference> reference(String model, long version, TrainingWindow window,
            TrainingResult result) {
        if (referenceRows == 0 || !(result.report().get("split") instanceof Map<?, ?> split)
                || !(split.get("trainRows") instanceof Number trainRows)
                || !(split.get("maxTrainTime") instanceof Number maxTrainTime)) {
            return Optional.empty();
        }
        int train = trainRows.intValue();
        if (train < 1 || train > window.size() || window.times()[train - 1] != maxTrainTime.longValue()) {
            LOG.warn("Model '{}' version {}: the train split ({} rows to {}) does not match the window's rows; no "
                    + "drift reference published", model, version, train, maxTrainTime);
            return Optional.empty();
        }
        List<TrainingReference.Row> rows = window.referenceRows(train, referenceRows);
        return rows.isEmpty() ? Optional.empty() : Optional.of(new TrainingReference(model, version, rows));
    }

    /**
     * The challenger as published: the promotion's version and the run's provenance added to the trainer's; with a
     * drift reference, its size and time span ({@code driftReference}), which tells the monitor to wait for it.
     */
    static ModelSnapshot withProvenance(ModelSnapshot challenger, TrainingRun run,
            Optional<TrainingReference> reference) {
        ModelMetadata m = challenger.metadata();
        Map<String, Object> provenance = new LinkedHashMap<>(m.provenance());
        provenance.put("runId", run.id());
        provenance.put("dataVersion", run.dataVersion());
        provenance.put("schemaVersion", run.dataVersion().schemaVersion());
        provenance.put("rows", run.rows());
        provenance.put("device", run.device());
        provenance.put("phases", run.phases());
        provenance.put("trigger", Map.of("reasons", run.trigger().stream().map(RetrainRequest::reason).distinct()
                .toList(), "alerts", run.alerts()));
        reference.ifPresent(r -> provenance.put(TrainingReference.PROVENANCE_KEY, Map.of("rows", r.rows().size(),
                "fromTime", r.rows().get(0).timestamp(), "toTime", r.rows().get(r.rows().size() - 1).timestamp())));
        run.result().forEach(provenance::putIfAbsent);
        ModelMetadata published = new ModelMetadata(m.model(), run.promotedVersion(), m.learnerSpec(), m.schema(),
                m.inputOffsets(), m.eventsSeen(), m.labelsLearned(), m.evaluation(), run.finishedAt(),
                m.formatVersion(), ModelMetadata.BATCH, provenance);
        return new ModelSnapshot(published, challenger.learnerState());
    }

    private long lap(long start) {
        return clock.getAsLong() - start;
    }
}
