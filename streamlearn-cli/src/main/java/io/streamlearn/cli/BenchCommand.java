package io.streamlearn.cli;

import io.streamlearn.cli.bench.ThroughputBench;
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

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Trainer setting for every Kafka variant alike, e.g. --set kafka.commit.interval.ms=500")
    Map<String, String> settings = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        var dataset = data.read();
        learner = LearnerFactory.specOrDefault(learner, dataset.schema().task());
        ThroughputBench bench = new ThroughputBench(dataset, learner, repeat, settings);
        System.out.printf(Locale.ROOT, "benchmarking %,d events, learner %s%n", bench.events(), learner);
        List<ThroughputBench.Result> results = new ArrayList<>();
        results.add(bench.rawMoaLoop());
        results.addAll(bench.kafkaVariants(rounds));
        String table = markdown(results);
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table);
        }
        return 0;
    }

    private String markdown(List<ThroughputBench.Result> results) {
        double passThrough = results.get(1).eventsPerSecond();
        double exactlyOnce = results.get(2).eventsPerSecond();
        double atLeastOnce = results.get(3).eventsPerSecond();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Run on %s, %d cores, Java %s, %,d events (%s x%d), learner `%s`, "
                        + "settings %s, median of %d rounds.%n%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), results.get(0).events(), data.modelName(), repeat, learner,
                settings.isEmpty() ? "default" : settings, rounds));
        md.append("| variant | events/s | seconds | ratio to (b) | heap growth (MiB) | stream thread poll / process / "
                + "commit % |\n|---|---:|---:|---:|---:|---:|\n");
        for (ThroughputBench.Result result : results) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %s | %s |%n", result.name(),
                    result.eventsPerSecond(), result.seconds(), result.eventsPerSecond() / passThrough,
                    result.heapBytes() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", result.heapBytes() / 1048576.0),
                    result.threadTime()));
        }
        md.append(String.format(Locale.ROOT, "%nTrainer (exactly-once) / pass-through: **%.2f** (target ≥ 0.80). "
                        + "Exactly-once / at-least-once: **%.2f** (target ≥ 0.85). "
                        + "Trainer exactly-once absolute: **%,.0f events/s** (target ≥ 30,000).%n",
                exactlyOnce / passThrough, exactlyOnce / atLeastOnce, exactlyOnce));
        return md.toString();
    }
}
