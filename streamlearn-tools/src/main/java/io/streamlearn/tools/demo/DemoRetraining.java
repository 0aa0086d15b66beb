package io.streamlearn.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.Retrainer;
import io.streamlearn.retrain.learn.BatchChallengerTrainer;
import io.streamlearn.retrain.run.RetrainRequest;
import io.streamlearn.retrain.run.RunStatus;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.http.RouteExtension;
import io.streamlearn.trainer.TrainerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The retraining service inside the demo's process, on the demo's topics, its routes on the prediction server's port.
 * Settings for a quick run on two cores: the newest 20,000 rows, 4 trials of at most 100 rounds, 2 CV folds. After the
 * replay the demo asks for one retrain itself, so the loop closes once even when no drift was confirmed.
 */
public final class DemoRetraining implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Retrainer retrainer;

    private DemoRetraining(Retrainer retrainer) {
        this.retrainer = retrainer;
    }

    public static DemoRetraining start(TrainerConfig trainer, MeterRegistry registry) {
        return start(trainer, registry, Map.of());
    }

    /**
     * @param settings {@code retrain.*} keys over the demo's quick-run settings, and {@code snapshot.signing.key}; other
     *                 keys are not the retrainer's
     */
    public static DemoRetraining start(TrainerConfig trainer, MeterRegistry registry, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>(Map.of(
                "bootstrap.servers", trainer.bootstrapServers(),
                "topic.events", trainer.eventsTopic(),
                "topic.labels", trainer.labelsTopic(),
                "topic.predictions", trainer.predictionsTopic(),
                "topic.models", trainer.modelsTopic(),
                "retrain.window.max-rows", "20000",
                "retrain.trials", "4",
                "retrain.max-rounds", "100",
                "retrain.cv-folds", "2"));
        settings.forEach((key, value) -> {
            if (key.startsWith("retrain.") || key.equals(SnapshotSigning.KEY)) {
                values.put(key, value);
            }
        });
        RetrainConfig config = RetrainConfig.of(values).validate();
        return new DemoRetraining(Retrainer.start(config, BatchChallengerTrainer.fromSettings(config.retrainSettings()),
                registry, 1, (short) 1));
    }

    public RouteExtension routes() {
        return retrainer.routes();
    }

    /** The retrainer's loop and run threads, and its follower of the runs topic. */
    Liveness liveness() {
        return retrainer.liveness();
    }

    /** Asks for one retrain of {@code model} and waits for its run to be recorded final, while the parts run. */
    Optional<TrainingRun> retrainAndAwait(String model, PrintStream console, Duration timeout, PartWatch parts)
            throws Exception {
        long requestedAt = System.currentTimeMillis();
        console.println("Retraining '" + model + "' on the newest labelled rows (XGBoost, CPU unless a GPU is seen)...");
        retrainer.request(RetrainRequest.of(model, RetrainRequest.ADMIN, requestedAt)).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TrainingRun> run = retrainer.answered(model, requestedAt);
            if (run.isPresent()) {
                console.printf(Locale.ROOT, "Run %s: %s%s%n", run.get().id(), run.get().status().code(),
                        run.get().reason() == null ? "" : " (" + run.get().reason() + ")");
                return run;
            }
            parts.pause(100);
        }
        console.println("The retrain run did not finish within " + timeout.toSeconds() + " s");
        return Optional.empty();
    }

    /** The model's runs, newest first. */
    List<TrainingRun> runs(String model) {
        return retrainer.runs().list(model, Integer.MAX_VALUE);
    }

    /** summary.json's {@code retraining} block: runs, promotions, and the last run's device and metrics. */
    public ObjectNode summary(String model) {
        List<TrainingRun> runs = retrainer.runs().list(model, Integer.MAX_VALUE);
        ObjectNode block = JSON.createObjectNode();
        block.put("runs", runs.size());
        block.put("promoted", runs.stream().filter(run -> run.status() == RunStatus.PROMOTED).count());
        runs.stream().filter(run -> run.status().isFinal()).findFirst().ifPresent(last -> {
            ObjectNode node = block.putObject("lastRun");
            node.put("id", last.id()).put("status", last.status().code()).put("reason", last.reason())
                    .put("device", last.device());
            if (last.rows() != null) {
                node.put("rows", last.rows());
            }
            if (last.promotedVersion() != null) {
                node.put("promotedVersion", last.promotedVersion());
            }
            node.put("seconds", (last.finishedAt() - last.startedAt()) / 1000.0);
            node.set("testScores", JSON.valueToTree(last.result().get("testScores")));
            node.set("gate", JSON.valueToTree(last.result().get("gate")));
        });
        return block;
    }

    @Override
    public void close() {
        retrainer.close();
    }
}
