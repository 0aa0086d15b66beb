package io.streamlearn.tools;

import io.streamlearn.cli.DataOptions;
import io.streamlearn.tools.bench.DriftThroughputBench;
import io.streamlearn.core.learn.LearnerFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The drift monitor's end-to-end throughput as a ratio to the trainer's; writes its table as Markdown. */
@Command(name = "bench-drift", mixinStandardHelpOptions = true,
        description = "Measure the drift monitor's end-to-end throughput (exactly-once, embedded broker) against the "
                + "trainer's on the same events.")
final class BenchDriftCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--learner", description = "(default: " + LearnerFactory.DEFAULT_SPEC + ")")
    String learner;

    @Option(names = "--repeat", defaultValue = "4",
            description = "Replay the dataset this many times back to back (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; the median ratio is reported "
            + "(default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        var dataset = data.read();
        learner = LearnerFactory.specOrDefault(learner, dataset.schema().task());
        DriftThroughputBench bench = new DriftThroughputBench(dataset, learner, repeat);
        System.out.printf(Locale.ROOT, "benchmarking %,d events, learner %s%n", bench.events(), learner);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<DriftThroughputBench.Result> results = bench.run(rounds);
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Run on %s, %d cores, Java %s, %,d events "
                        + "(%s x%d), learner `%s`, exactly-once, %d rounds (sorted by ratio; the median is the middle "
                        + "row), load average %.1f at start, %.1f at end. CPU: the stream threads' CPU time over the "
                        + "timed span, per event.%n%n| round | trainer events/s | monitor events/s (+ as many "
                        + "predictions) | monitor / trainer | CPU µs/event trainer / monitor | monitor / trainer by "
                        + "CPU |%n|---|---:|---:|---:|---:|---:|%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), bench.events(),
                data.modelName(), repeat, learner, rounds, loadBefore, loadAfter));
        for (int i = 0; i < results.size(); i++) {
            DriftThroughputBench.Result r = results.get(i);
            md.append(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.2f | %.1f / %.1f | %.2f |%n", i + 1,
                    r.trainerRate(), r.monitorRate(), r.ratio(), r.trainerCpuMicros(), r.monitorCpuMicros(),
                    r.trainerCpuMicros() / r.monitorCpuMicros()));
        }
        System.out.println(md);
        if (out != null) {
            Files.writeString(out, md.toString());
        }
        return 0;
    }
}
