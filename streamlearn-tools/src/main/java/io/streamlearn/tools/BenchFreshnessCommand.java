package io.streamlearn.tools;

import io.streamlearn.cli.DataOptions;
import io.streamlearn.tools.bench.FreshnessBench;
import io.streamlearn.core.learn.LearnerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The freshness harness: event produced → prediction served by a version that learned it; writes Markdown. */
@Command(name = "bench-freshness", mixinStandardHelpOptions = true,
        description = "Measure the time from an event entering 'events' to a prediction served over HTTP by a model "
                + "version that learned it (trainer and server on an embedded broker), for each snapshot interval.")
final class BenchFreshnessCommand implements Callable<Integer> {

    /** Issue #3's target for the 99th percentile. */
    private static final double TARGET_P99_MS = 1000;

    @Mixin
    DataOptions data;

    @Option(names = "--learner", defaultValue = LearnerFactory.DEFAULT_SPEC, description = "(default: ${DEFAULT-VALUE})")
    String learner;

    @Option(names = "--snapshot-interval-ms", split = ",", defaultValue = "2000,1000,500,250",
            description = "Snapshot intervals to measure, one trainer run each (default: ${DEFAULT-VALUE})")
    List<Long> snapshotIntervals;

    @Option(names = "--rate", defaultValue = "1000", description = "Events per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--warmup", defaultValue = "5", description = "Seconds of events before the measured ones "
            + "(default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds of measured events per run "
            + "(default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--sample-every", defaultValue = "10", description = "One event in N is a sample "
            + "(default: ${DEFAULT-VALUE})")
    int sampleEvery;

    @Option(names = "--probe-ms", defaultValue = "5", description = "Milliseconds between two HTTP predictions of the "
            + "probe: the resolution of the figures (default: ${DEFAULT-VALUE})")
    long probeMs;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Trainer setting for every run, e.g. --set kafka.commit.interval.ms=50")
    Map<String, String> settings = new HashMap<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        FreshnessBench bench = new FreshnessBench(data.read(), learner, settings,
                new FreshnessBench.Options(rate, warmup, seconds, sampleEvery, probeMs));
        String table = markdown(bench.run(snapshotIntervals));
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table);
        }
        return 0;
    }

    private String markdown(List<FreshnessBench.Result> results) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Run on %s, %d cores, Java %s, learner `%s` "
                        + "on %s, %,.0f events/s, %d s warm-up + %d s measured per run, one event in %d sampled, "
                        + "probe every %d ms, settings %s.%n%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), learner,
                data.modelName(), rate, warmup, seconds, sampleEvery, probeMs,
                settings.isEmpty() ? "default" : settings));
        md.append("| snapshot.interval.ms | commit.interval.ms | samples | p50 ms | p95 ms | p99 ms | max ms "
                + "| snapshots/s | KiB/snapshot | p99 ≤ 1 s |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (FreshnessBench.Result r : results) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %,d%s | %.0f | %.0f | %.0f | %.0f | %.2f | %.1f | %s |%n",
                    r.snapshotIntervalMs(), r.commitIntervalMs(), r.samples(),
                    r.uncovered() == 0 ? "" : " (" + r.uncovered() + " never covered)", r.p50Ms(), r.p95Ms(),
                    r.p99Ms(), r.maxMs(), r.snapshotsPerSecond(), r.meanSnapshotBytes() / 1024,
                    r.uncovered() == 0 && r.p99Ms() <= TARGET_P99_MS ? "yes" : "no"));
        }
        return md.toString();
    }
}
