package io.streamlearn.tools;

import io.streamlearn.cli.DataOptions;
import io.streamlearn.cli.ShutdownSignal;
import io.streamlearn.core.config.Settings;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.eval.InterleavedComparison;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.runtime.metrics.Telemetry;
import io.streamlearn.tools.demo.DemoRun;
import io.streamlearn.tools.demo.DemoSummary;
import io.streamlearn.tools.demo.LearningCurve;
import io.streamlearn.tools.demo.PartFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Everything in one process on an embedded broker: the README's quick start (docs/demo.md). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start an embedded Kafka broker, the trainer and the prediction server in one process, replay "
                + "a dataset into 'events', and report the prequential result (demo-out/summary.json, report.html, drift.html, "
                + "runs.html)."})
final class DemoCommand implements Callable<Integer> {

    private static final int COMPARISON_POINTS = 50;
    /** Between two looks at the parts while the demo keeps running after its report. */
    private static final Duration IDLE_CHECK = Duration.ofMillis(200);

    @Mixin
    DataOptions data;

    @Option(names = "--learner", paramLabel = "SPEC",
            description = "MOA learner as a CLI spec, e.g. \"trees.HoeffdingAdaptiveTree -g 100\" (default: "
                    + LearnerFactory.DEFAULT_SPEC + " for a nominal target, " + LearnerFactory.DEFAULT_REGRESSION_SPEC
                    + " for a numeric one, " + LearnerFactory.DEFAULT_ANOMALY_SPEC + " for anomalies, "
                    + LearnerFactory.DEFAULT_CLUSTER_SPEC + " for clusters). Repeat it to compare learners: the first "
                    + "is trained and served through Kafka, and all are compared interleaved on the same events")
    List<String> learners = new ArrayList<>();

    @Option(names = "--shards", paramLabel = "N", defaultValue = "0",
            description = "Train the learner (an ensemble: meta.AdaptiveRandomForest, meta.OzaBag, ...) in N shards that "
                    + "learn in parallel and vote together (docs/sharding.md; default: not sharded)")
    int shards;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "0",
            description = "Replay rate in events per second, 0 for as fast as possible (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--label-delay", paramLabel = "N", defaultValue = "0",
            description = "Send labels on the labels topic N events after their event instead of inline")
    int labelDelay;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080",
            description = "HTTP port of the prediction server, 0 for a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--kafka-port", paramLabel = "P", defaultValue = "0",
            description = "Port of the embedded broker, 0 for a free one (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out",
            description = "Directory for summary.json, report.html, drift.html, runs.html and the schema (default: "
                    + "${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--exit", description = "Exit once every replayed event is processed (default: keep running)")
    boolean exit;

    @Option(names = "--processing-guarantee", defaultValue = "exactly_once_v2",
            description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE})")
    String processingGuarantee;

    @Option(names = "--snapshot-interval-ms", defaultValue = "1000",
            description = "How often the trainer publishes a model snapshot (default: ${DEFAULT-VALUE})")
    long snapshotIntervalMs;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of settings for the demo's parts (keys: docs/configuration.md); --set "
                    + "overrides it. The demo does not read STREAMLEARN_* variables: they would point it elsewhere")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a setting of the trainer (its keys, e.g. kafka.commit.interval.ms), the drift "
                    + "monitor (drift.*) or the retrainer (retrain.*); repeatable")
    Map<String, String> settings = new HashMap<>();

    @Spec
    CommandSpec spec;

    /**
     * Exits 1 with the reason on stderr as soon as a part the demo drives fails (the trainer's or the drift monitor's
     * Kafka Streams client, a follower of the server, the retrainer), whether or not {@code --exit} was given.
     */
    @Override
    public Integer call() throws Exception {
        var dataset = data.read();
        String learner = LearnerFactory.specOrDefault(learners.isEmpty() ? null : learners.get(0),
                dataset.schema().task());
        String dataName = data.data() == null ? "bundled Electricity (datasets/electricity.arff.gz)" : data.data().toString();
        System.out.printf("streamlearn demo: %,d events of '%s' from %s, learner %s%s%n", dataset.rows().size(),
                dataset.schema().model(), dataName, learner, shards > 0 ? " in " + shards + " shards" : "");
        DemoRun.Options options = new DemoRun.Options(dataset, dataName, learner, rate, labelDelay, port, kafkaPort,
                out, processingGuarantee, snapshotIntervalMs, shards);
        try (ShutdownSignal shutdown = new ShutdownSignal(); Telemetry telemetry = Telemetry.create();
                DemoRun demo = DemoRun.start(options, System.out, telemetry.registry(),
                        Settings.merge(Settings.read(configFile), Map.of(), settings))) {
            try {
                run(dataset, demo, shutdown);
            } catch (PartFailedException e) {
                // Said before the parts close, which takes a few seconds.
                spec.commandLine().getErr().println("streamlearn demo: stopping, a part of the pipeline failed: "
                        + e.getMessage() + " (the log above has the stack trace; what to do: docs/operations.md, "
                        + "StreamlearnPartFailed)");
                spec.commandLine().getErr().flush();
                return CommandLine.ExitCode.SOFTWARE;
            }
        }
        return CommandLine.ExitCode.OK;
    }

    private void run(Dataset dataset, DemoRun demo, ShutdownSignal shutdown) throws Exception {
        DemoRun.Outcome outcome = compared(dataset, demo.replayAndAwait());
        demo.retrainAndAwait();
        demo.writeReports(outcome);
        printSummary(outcome.summary());
        System.out.println("Wrote " + out.resolve("summary.json") + ", " + out.resolve("report.html") + " (with "
                + "drift.html and runs.html beside it)");
        if (!exit) {
            printHowToUse(demo, dataset.schema().model());
            while (!shutdown.await(IDLE_CHECK)) {
                demo.checkAlive();
            }
        }
    }

    /** With several learners, their interleaved comparison on the replayed events joins the summary. */
    private DemoRun.Outcome compared(Dataset dataset, DemoRun.Outcome outcome) {
        if (learners.size() < 2) {
            return outcome;
        }
        System.out.println("Comparing " + String.join(", ", learners) + " interleaved on the same events...");
        List<InterleavedComparison.Result> results = InterleavedComparison.run(dataset, learners,
                PrequentialEvaluator.DEFAULT_WINDOW, COMPARISON_POINTS);
        for (InterleavedComparison.Result result : results) {
            System.out.printf(Locale.ROOT, "  %-40s %s (%.2f s)%n", result.learner(),
                    LearningCurve.headline(result.evaluation()), result.seconds());
        }
        return new DemoRun.Outcome(outcome.summary().withComparison(results), outcome.curve());
    }

    private static void printSummary(DemoSummary summary) {
        System.out.println();
        row("events", String.format(Locale.ROOT, "%,d", summary.events()));
        row("predictions", String.format(Locale.ROOT, "%,d", summary.predictions()));
        row("dead letters", String.format(Locale.ROOT, "%,d", summary.dlq()));
        if (summary.alerts() != null) {
            row("ROC-AUC", summary.rocAuc() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", summary.rocAuc()));
            row("precision@k", summary.precisionAtK() == null ? "n/a"
                    : String.format(Locale.ROOT, "%.4f", summary.precisionAtK()));
            row("alerts", String.format(Locale.ROOT, "%,d", summary.alerts()));
        } else if (summary.clusters() != null) {
            row("clusters", Integer.toString(summary.clusters()));
            row("SSQ/event", String.format(Locale.ROOT, "%.4f", summary.ssq()));
            row("silhouette", String.format(Locale.ROOT, "%.4f", summary.silhouette()));
        } else if (summary.accuracy() != null) {
            row("correct", String.format(Locale.ROOT, "%,d", summary.correct()));
            row("accuracy", String.format(Locale.ROOT, "%.4f", summary.accuracy()));
            row("kappa", String.format(Locale.ROOT, "%.4f", summary.kappa()));
        } else {
            row("MAE", String.format(Locale.ROOT, "%.4f", summary.mae()));
            row("RMSE", String.format(Locale.ROOT, "%.4f", summary.rmse()));
            row("R²", String.format(Locale.ROOT, "%.4f", summary.r2()));
        }
        row("events/s", String.format(Locale.ROOT, "%,.0f", summary.eventsPerSecond()));
        if (summary.steadyEventsPerSecond() != null) {
            row("2nd half ev/s", String.format(Locale.ROOT, "%,.0f", summary.steadyEventsPerSecond()));
        }
        row("model version", Long.toString(summary.modelVersion()));
        System.out.println();
    }

    private static void row(String name, String value) {
        System.out.printf(Locale.ROOT, "  %-14s %14s%n", name, value);
    }

    private static void printHowToUse(DemoRun demo, String model) {
        System.out.println("Still running. Produce to topic 'events' on " + demo.bootstrapServers()
                + " with any Kafka client, or try:");
        System.out.println("  curl -s localhost:" + demo.httpPort() + "/v1/models/" + model);
        System.out.println("  curl -s localhost:" + demo.httpPort() + "/metrics | grep streamlearn_");
        System.out.println("Ctrl-C to stop.");
    }
}
