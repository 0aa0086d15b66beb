package io.streamlearn.tools;

import io.streamlearn.cli.DataOptions;
import io.streamlearn.tools.bench.GeneratedDataset;
import io.streamlearn.tools.bench.ThroughputBench;
import io.streamlearn.core.learn.LearnerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The end-to-end throughput harness; writes its table as Markdown. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure MOA alone, a pass-through topology and the trainer (exactly-once and at-least-once) "
                + "on the embedded broker, and report events/s and ratios.")
final class BenchCommand implements Callable<Integer> {

    static final int DEFAULT_GENERATED_ROWS = 100_000;

    @Mixin
    DataOptions data;

    @Option(names = "--learner", description = "(default: " + LearnerFactory.DEFAULT_SPEC + " for a nominal target, "
            + LearnerFactory.DEFAULT_REGRESSION_SPEC + " for a numeric one)")
    String learner;

    @Option(names = "--repeat", defaultValue = "4",
            description = "Replay the dataset this many times back to back (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Run the Kafka variants this many times and report each one's median (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table to this file")
    Path out;

    @Option(names = "--generate", paramLabel = "MOA_STREAM",
            description = "Bench on the first --events N rows (default " + DEFAULT_GENERATED_ROWS + ") of a seeded MOA "
                    + "generator instead of a file, e.g. \"generators.RandomTreeGenerator -o 3 -v 300 -u 5\"")
    String generate;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Trainer setting for every Kafka variant alike, e.g. --set kafka.commit.interval.ms=500")
    Map<String, String> settings = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        var dataset = generate == null ? data.read()
                : GeneratedDataset.of(data.model() == null ? "generated" : data.model(), generate,
                        data.events() == null ? DEFAULT_GENERATED_ROWS : data.events());
        learner = LearnerFactory.specOrDefault(learner, dataset.schema().task());
        ThroughputBench bench = new ThroughputBench(dataset, learner, repeat, settings);
        System.out.printf(Locale.ROOT, "benchmarking %,d events, learner %s%n", bench.events(), learner);
        List<ThroughputBench.Result> results = new ArrayList<>();
        double loadBefore = loadAverage();
        results.add(bench.rawMoaLoop());
        results.addAll(bench.kafkaVariants(rounds));
        String table = markdown(results, loadBefore, loadAverage());
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table);
        }
        return 0;
    }

    /** The machine's 1-minute load average: figures taken beside other work say so (docs/benchmarks.md). */
    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private String markdown(List<ThroughputBench.Result> results, double loadBefore, double loadAfter) {
        double passThrough = results.get(1).eventsPerSecond();
        double exactlyOnce = results.get(2).eventsPerSecond();
        double atLeastOnce = results.get(3).eventsPerSecond();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Run on %s, %d cores, load average %.1f at the start and %.1f at the "
                        + "end, Java %s, %,d events (%s x%d), learner `%s`, settings %s, median of %d rounds.%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter,
                System.getProperty("java.version"), results.get(0).events(),
                generate == null ? data.modelName() : "`" + generate + "`", repeat, learner,
                settings.isEmpty() ? "default" : settings, rounds));
        md.append("| variant | events/s | seconds | ratio to (b) | heap growth (MiB) | stream thread poll / process / "
                + "commit / punctuate % | CPU µs/event | on CPU % |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ThroughputBench.Result result : results) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %s | %s | %.1f | %.0f |%n",
                    result.name(), result.eventsPerSecond(), result.seconds(), result.eventsPerSecond() / passThrough,
                    result.heapBytes() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", result.heapBytes() / 1048576.0),
                    result.threadTime(), result.cpuMicrosPerEvent(), 100 * result.onCpu()));
        }
        md.append(String.format(Locale.ROOT, "%nTrainer (exactly-once) / pass-through: **%.2f** (target ≥ 0.80 for a "
                        + "cheap model). Exactly-once / at-least-once: **%.2f** (target ≥ 0.85). "
                        + "Trainer (exactly-once) / MOA test-then-train loop: **%.2f** (target ≥ 0.80 for a "
                        + "learning-heavy model). Trainer exactly-once absolute: **%,.0f events/s**.%n",
                exactlyOnce / passThrough, exactlyOnce / atLeastOnce, exactlyOnce / results.get(0).eventsPerSecond(),
                exactlyOnce));
        // A trainer is at best the learner plus the Kafka path it shares with the pass-through, both on its thread.
        double moaMicros = results.get(0).cpuMicrosPerEvent();
        double passMicros = results.get(1).cpuMicrosPerEvent();
        md.append(String.format(Locale.ROOT, "Ceiling of trainer / MOA loop set by the Kafka path alone, by CPU per "
                        + "event: MOA loop / (MOA loop + pass-through) = %.1f / (%.1f + %.1f) = **%.2f**.%n",
                moaMicros, moaMicros, passMicros, moaMicros / (moaMicros + passMicros)));
        // The same sum read the other way: a trainer that added nothing to the pass-through but MOA's own learning.
        double moaWall = 1e6 / results.get(0).eventsPerSecond();
        double passWall = 1e6 / results.get(1).eventsPerSecond();
        md.append(String.format(Locale.ROOT, "Ceiling of trainer / pass-through set by the learning alone: "
                        + "pass-through / (pass-through + MOA loop) = %.2f by CPU per event, %.2f by time per event "
                        + "(%.1f / (%.1f + %.1f) µs).%n",
                passMicros / (passMicros + moaMicros), passWall / (passWall + moaWall), passWall, passWall, moaWall));
        md.append(String.format(Locale.ROOT, "The same ratios by CPU per event of the learning thread (steadier on a "
                        + "loaded machine): trainer (exactly-once) / pass-through %.2f, exactly-once / at-least-once "
                        + "%.2f, trainer (exactly-once) / MOA loop %.2f.%n",
                results.get(1).cpuMicrosPerEvent() / results.get(2).cpuMicrosPerEvent(),
                results.get(3).cpuMicrosPerEvent() / results.get(2).cpuMicrosPerEvent(),
                results.get(0).cpuMicrosPerEvent() / results.get(2).cpuMicrosPerEvent()));
        return md.toString();
    }
}
