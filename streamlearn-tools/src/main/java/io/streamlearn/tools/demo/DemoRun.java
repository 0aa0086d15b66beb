package io.streamlearn.tools.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.retrain.http.RunsPage;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.runtime.definitions.DefinitionFollower;
import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.kafka.FollowerSettings;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import io.vertx.ext.web.Route;
import io.streamlearn.tools.bench.BenchDirectories;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.errors.InterruptException;

/**
 * The whole pipeline in one process: embedded broker, trainer, prediction server and a replay of a dataset, watched
 * from outside through the committed output topics until every replayed event is processed. Every wait checks that
 * the parts still run ({@link #checkAlive()}): once one has failed, the wait ends with a {@link PartFailedException}
 * naming it.
 */
public final class DemoRun implements AutoCloseable {

    /**
     * How to run the demo. {@code rate} 0 replays as fast as possible; {@code shards} above 0 splits the (ensemble)
     * learner into that many shards (docs/sharding.md).
     */
    public record Options(Dataset dataset, String dataName, String learner, double rate, int labelDelay, int httpPort,
            int kafkaPort, Path out, String processingGuarantee, long snapshotIntervalMs, int shards) {

        public Options(Dataset dataset, String dataName, String learner, double rate, int labelDelay, int httpPort,
                int kafkaPort, Path out, String processingGuarantee, long snapshotIntervalMs) {
            this(dataset, dataName, learner, rate, labelDelay, httpPort, kafkaPort, out, processingGuarantee,
                    snapshotIntervalMs, 0);
        }
    }

    /** Between two looks at the output topics, and at the parts' liveness. */
    private static final long POLL_MILLIS = 50;

    /**
     * With delayed labels the demo replays both topics at full speed, and the trainer then often holds a backlog of
     * both fetched at once; waiting up to this long for the other topic keeps labels at their place, so the result is
     * MOA's EvaluatePrequentialDelayed (docs/learning.md: 0 and 100 ms missed it by up to 13k correct, 500 ms matched).
     */
    private static final String DELAYED_LABELS_TASK_IDLE_MS = "500";
    /**
     * With labels inline the labels topic stays empty, so there is no order between the two topics to keep; -1 also
     * spares Kafka Streams 4.4's per-record bookkeeping for the empty partition (PartitionGroup.readyToProcess
     * formats a log line per record when max.task.idle.ms is not -1: 13-15 % of the stream thread's CPU samples,
     * docs/benchmarks.md).
     */
    private static final String INLINE_LABELS_TASK_IDLE_MS = "-1";

    private final Options options;
    private final PrintStream console;
    private final EmbeddedKafkaBroker broker;
    private final TrainerConfig trainerConfig;
    private final DefinitionFollower definitions;
    private final TrainerApplication trainer;
    private final DemoDrift drift;
    private final PredictionServer server;
    private final Path stateDir;
    private final DemoRetraining retraining;
    private final PartWatch parts;
    private final PrometheusMeterRegistry registry;
    /** What the constructor started, and the state directory: what closing undoes. */
    private final StartedParts started = new StartedParts();

    private DemoRun(Options options, PrintStream console, PrometheusMeterRegistry registry,
            Map<String, String> given) throws IOException {
        this.options = options;
        this.console = console;
        this.registry = registry;
        Map<String, String> settings = signed(given, console);
        this.stateDir = Files.createTempDirectory("streamlearn-state");
        started.add(() -> BenchDirectories.deleteRecursively(stateDir));
        try {
            this.broker = started.add(EmbeddedKafkaBroker.start(options.kafkaPort(), null));
            console.println("Kafka broker (KRaft, in-process) on " + broker.bootstrapServers());
            this.trainerConfig = TrainerConfig.of(trainerSettings(options, settings)).validate();
            TrainerTopics.createMissing(trainerConfig, 1, (short) 1);
            Files.createDirectories(options.out());
            Path schemaFile = options.out().resolve(options.dataset().schema().model() + ".schema.json");
            options.dataset().schema().write(schemaFile);
            console.println("Feature schema written to " + schemaFile);
            // As a deployment does: the model is defined on the definitions topic and the trainer follows it, so
            // `streamlearn models list|create` against the demo's broker see and add to what the demo trains.
            FollowerSettings kafka = trainerConfig.followerSettings();
            try (DefinitionWriter writer = new DefinitionWriter(kafka, trainerConfig.definitionsTopic(), 1, (short) 1,
                    DefinitionFollower.DEFAULT_CATCH_UP)) {
                writer.define(new ModelDefinition(options.dataset().schema(), options.learner())
                        .withShards(options.shards()));
            }
            this.definitions = started.add(new DefinitionFollower(kafka, trainerConfig.definitionsTopic(),
                    "streamlearn-trainer-definitions", new ModelCatalog()).startAndCatchUp(
                            DefinitionFollower.DEFAULT_CATCH_UP));
            this.trainer = started.add(TrainerApplication.start(trainerConfig, definitions.catalog(), registry));
            this.drift = started.add(DemoDrift.start(broker.bootstrapServers(), options.processingGuarantee(),
                    stateDir.resolve("drift"), options.dataset().schema().model(), registry, settings));
            this.retraining = started.add(DemoRetraining.start(trainerConfig, registry, settings));
            this.server = started.add(PredictionServer.start(ServingConfig.defaults().withHttpPort(options.httpPort())
                    .withBootstrapServers(broker.bootstrapServers())
                    .withSnapshotSigningKey(settings.get(SnapshotSigning.KEY)), registry,
                    List.of(drift.routes(), retraining.routes()),
                    Liveness.of(trainer.failure()).and(definitions.liveness()).and(drift.liveness())
                            .and(retraining.liveness())));
        } catch (IOException | RuntimeException failure) {
            // A part that cannot start (a mistyped drift.* key, a port in use) must not leave the ones before it
            // running in the caller's JVM, nor the state directory behind.
            started.closeAfter(failure);
            throw failure;
        }
        this.parts = new PartWatch(server.liveness());
        console.println("Prediction server on http://localhost:" + server.port());
    }

    /**
     * The caller's settings with a {@code snapshot.signing.key} for every part: the caller's, or one generated for this
     * run, so the demo signs and verifies its snapshots as a deployment should. Said once on the console; a key set
     * empty runs unsigned, which the parts' warning says (once).
     */
    private static Map<String, String> signed(Map<String, String> settings, PrintStream console) {
        Map<String, String> values = new HashMap<>(settings);
        if (values.containsKey(SnapshotSigning.KEY)) {
            console.println(SnapshotSigning.of(values.get(SnapshotSigning.KEY)).enabled()
                    ? "Model snapshots signed with the given snapshot.signing.key"
                    : "Model snapshots unsigned: snapshot.signing.key is empty");
            return values;
        }
        byte[] secret = new byte[SnapshotSigning.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(secret);
        values.put(SnapshotSigning.KEY, Base64.getEncoder().encodeToString(secret));
        console.println("Model snapshots signed with a key generated for this run (set snapshot.signing.key to choose "
                + "one)");
        return values;
    }

    /**
     * The demo's trainer settings, then the caller's (any key but the drift monitor's {@code drift.*} and the
     * retrainer's {@code retrain.*}), then the embedded broker and the state directory, which are the demo's own.
     */
    private Map<String, String> trainerSettings(Options options, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>(Map.of(
                "processing.guarantee", options.processingGuarantee(),
                "snapshot.interval.ms", Long.toString(options.snapshotIntervalMs()),
                "kafka.max.task.idle.ms",
                options.labelDelay() > 0 ? DELAYED_LABELS_TASK_IDLE_MS : INLINE_LABELS_TASK_IDLE_MS,
                "shard.enabled", Boolean.toString(options.shards() > 0)));
        settings.forEach((key, value) -> {
            if (!key.startsWith("drift.") && !key.startsWith("retrain.")) {
                values.put(key, value);
            }
        });
        values.put("bootstrap.servers", broker.bootstrapServers());
        values.put("kafka.state.dir", stateDir.toString());
        return values;
    }

    public static DemoRun start(Options options, PrintStream console, PrometheusMeterRegistry registry)
            throws IOException {
        return start(options, console, registry, Map.of());
    }

    /**
     * @param settings drift monitor ({@code drift.*}) and retrainer ({@code retrain.*}) settings over the demo's own,
     *                 e.g. smaller drift windows for a short replay; any other key is the trainer's (e.g.
     *                 {@code kafka.*})
     */
    public static DemoRun start(Options options, PrintStream console, PrometheusMeterRegistry registry,
            Map<String, String> settings) throws IOException {
        return new DemoRun(options, console, registry, settings);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public int httpPort() {
        return server.port();
    }

    /** The routes its one port answers: the prediction server's, the drift monitor's and the retrainer's. */
    public List<Route> routes() {
        return server.routes();
    }

    /** Throws when a part the demo drives has failed. */
    public void checkAlive() throws PartFailedException {
        parts.check();
    }

    /** The summary of a finished replay and its learning curve as seen from the output topics. */
    public record Outcome(DemoSummary summary, List<LearningCurve.Point> curve) {
    }

    /**
     * Replays the dataset, shows progress each second, and returns once every replayed event is processed.
     *
     * @throws PartFailedException as soon as a part has failed; the replay stops
     */
    public Outcome replayAndAwait() throws Exception {
        Dataset dataset = options.dataset();
        String model = dataset.schema().model();
        LearningCurve curve = new LearningCurve(dataset, model, Math.max(100, dataset.rows().size() / 300));
        try (OutputWatcher watcher = new OutputWatcher(broker.bootstrapServers(), trainerConfig.predictionsTopic(),
                trainerConfig.deadLetterTopic(), trainerConfig.modelsTopic(), (prediction, offset) -> curve.accept(prediction));
                TrainerProgressProbe progress = new TrainerProgressProbe(broker.bootstrapServers(),
                        trainerConfig.applicationId(), trainerInputs());
                EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                        trainerConfig.eventsTopic(), trainerConfig.labelsTopic(), model, options.rate(),
                        options.labelDelay()))) {
            long start = System.nanoTime();
            Thread replay = new Thread(() -> {
                try {
                    replayer.replay(dataset, System::currentTimeMillis);
                } catch (InterruptedException | InterruptException e) {
                    Thread.currentThread().interrupt();
                }
            }, "replay");
            replay.start();
            try {
                long caughtUpAt = 0;
                long firstProcessed = 0;
                double seconds = 0;
                double startupSeconds = 0;
                long lastPrint = System.nanoTime();
                SteadyRate steady = new SteadyRate();
                double trained = 0;
                while (caughtUpAt == 0 || !finalSnapshotSeen(watcher, model, caughtUpAt)) {
                    parts.pause(POLL_MILLIS);
                    if (caughtUpAt == 0) {
                        trained = trainedEvents(model);
                        steady.record(System.nanoTime(), trained);
                    }
                    if (firstProcessed == 0 && trained > 0) {
                        firstProcessed = System.nanoTime();
                    }
                    if (System.nanoTime() - lastPrint >= 1_000_000_000L) {
                        printProgress(watcher, curve, replayer, start);
                        lastPrint = System.nanoTime();
                    }
                    if (caughtUpAt == 0 && !replay.isAlive() && progress.caughtUp()) {
                        caughtUpAt = System.currentTimeMillis();
                        firstProcessed = firstProcessed == 0 ? start : firstProcessed;
                        seconds = (System.nanoTime() - firstProcessed) / 1e9;
                        startupSeconds = (firstProcessed - start) / 1e9;
                    }
                }
                printProgress(watcher, curve, replayer, start);
                ModelMetadata last = watcher.latestSnapshot(model);
                awaitServed(model, last.version());
                drift.awaitCaughtUp(model, watcher.predictions(), 30_000, parts);
                DemoSummary summary = summary(replayer.produced(), watcher, last, seconds, startupSeconds)
                        .withSteadyEventsPerSecond(steady.secondHalf(Math.round(trained)));
                return new Outcome(summary, curve.points());
            } finally {
                // Ends a replay still producing (a part failed) before its producer closes.
                replay.interrupt();
                replay.join(10_000);
            }
        }
    }

    /** The topics the trainer reads: a sharded model's events are processed once its shards' votes are summed. */
    private List<String> trainerInputs() {
        List<String> topics = new ArrayList<>(List.of(trainerConfig.eventsTopic(), trainerConfig.labelsTopic()));
        if (trainerConfig.shardingEnabled()) {
            topics.addAll(List.of(trainerConfig.shardStepsTopic(), trainerConfig.shardVotesTopic(),
                    trainerConfig.shardSumsTopic()));
        }
        return topics;
    }

    private boolean finalSnapshotSeen(OutputWatcher watcher, String model, long caughtUpAt) {
        ModelMetadata last = watcher.latestSnapshot(model);
        if (last == null || last.eventsSeen() != watcher.predictions()) {
            return false;
        }
        // A snapshot taken after the input was fully consumed holds the final state; if none comes within a few
        // intervals, nothing changed after the last one.
        return last.createdAt() > caughtUpAt
                || System.currentTimeMillis() - caughtUpAt > 3 * options.snapshotIntervalMs();
    }

    private void awaitServed(String model, long version) throws InterruptedException, PartFailedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline
                && server.models().find(model).map(ServedModel::version).orElse(0L) < version) {
            parts.pause(POLL_MILLIS);
        }
    }

    private void printProgress(OutputWatcher watcher, LearningCurve curve, EventReplayer replayer, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        long processed = watcher.predictions() + watcher.deadLetters();
        Evaluation evaluation = curve.evaluation();
        String quality = LearningCurve.headline(evaluation);
        console.printf(Locale.ROOT, "  produced %,d · processed %,d (%,d dead letters) · %,.0f events/s · %s%n",
                replayer.produced(), processed, watcher.deadLetters(), processed / seconds, quality);
    }

    /** Events the trainer has processed, committed or not: its own counter, to time its first event. */
    private double trainedEvents(String model) {
        Counter events = registry.find("streamlearn.train.events").tag("model", model).counter();
        return events == null ? 0 : events.count();
    }

    private DemoSummary summary(long produced, OutputWatcher watcher, ModelMetadata last,
            double seconds, double startupSeconds) {
        Evaluation evaluation = last.evaluation();
        long served = server.models().find(last.model()).map(ServedModel::version).orElse(0L);
        return new DemoSummary(last.model(), options.learner(), options.dataName(), options.processingGuarantee(),
                produced, watcher.predictions(), watcher.deadLetters(), evaluation.correct(), evaluation.accuracy(),
                evaluation.kappa(), evaluation.mae(), evaluation.mse(), evaluation.rmse(), evaluation.r2(), last.labelsLearned(), seconds,
                startupSeconds, produced / seconds, last.version(), served, evaluation, drift.summary(last.model()))
                .withShards(options.shards() > 0 ? options.shards() : null);
    }

    /** One retrain of the demo's model after the replay (docs/retraining.md); waits up to five minutes for its run. */
    public void retrainAndAwait() throws Exception {
        retraining.retrainAndAwait(options.dataset().schema().model(), console, Duration.ofMinutes(5), parts);
    }

    /**
     * Writes {@code summary.json} (with the {@code retraining} block), {@code report.html}, and beside it the drift
     * report ({@code drift.html}, as {@code /v1/drift/{model}/report.html} serves it) and the runs page
     * ({@code runs.html}, as {@code /runs} serves it) to the output directory.
     */
    public void writeReports(Outcome outcome) throws IOException {
        String model = options.dataset().schema().model();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode summary = json.valueToTree(outcome.summary());
        summary.set("retraining", retraining.summary(model));
        Files.writeString(options.out().resolve("summary.json"), json.writeValueAsString(summary) + "\n");
        List<TrainingRun> runs = retraining.runs(model);
        Files.writeString(options.out().resolve("report.html"), HtmlReport.render(outcome.summary(), outcome.curve(),
                new HtmlReport.Context(drift.alerts(model), runs)));
        Files.writeString(options.out().resolve("drift.html"), drift.page(model));
        Files.writeString(options.out().resolve("runs.html"), RunsPage.render(runs));
    }

    @Override
    public void close() throws IOException {
        started.close();
    }
}
