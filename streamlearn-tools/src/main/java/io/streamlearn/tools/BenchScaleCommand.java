package io.streamlearn.tools;

import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.tools.bench.ScaleOutBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scale-out and failover figures of the trainer as separate JVMs; writes its tables as Markdown. */
@Command(name = "bench-scale", mixinStandardHelpOptions = true,
        description = "Measure aggregate events/s of 1, 2 and 3 trainer JVMs sharing one application, and the time "
                + "from SIGKILL of one to its models' predictions resuming, with and without standby replicas.")
final class BenchScaleCommand implements Callable<Integer> {

    @Option(names = "--models", defaultValue = "48", description = "Models (default: ${DEFAULT-VALUE})")
    int models;

    @Option(names = "--events-per-model", defaultValue = "2000",
            description = "Backlog per model for the throughput runs (default: ${DEFAULT-VALUE})")
    int eventsPerModel;

    @Option(names = "--generator", defaultValue = "generators.RandomTreeGenerator -c 2 -o 2 -u 5 -v 5",
            description = "MOA generator of every model's stream; -r and -i are set per model (default: "
                    + "${DEFAULT-VALUE})")
    String generator;

    @Option(names = "--learner", defaultValue = "trees.HoeffdingTree", description = "(default: ${DEFAULT-VALUE})")
    String learner;

    @Option(names = "--partitions", defaultValue = "12", description = "Partitions of events (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--instances", defaultValue = "3", description = "Throughput runs with 1..N instances "
            + "(default: ${DEFAULT-VALUE})")
    int instances;

    @Option(names = "--rate", defaultValue = "1000", description = "Events/s during the failover runs "
            + "(default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--session-timeout-ms", defaultValue = "10000",
            description = "The trainers' consumer session timeout: how soon the group notices a killed member "
                    + "(default: ${DEFAULT-VALUE}; Kafka's default is 45000)")
    long sessionTimeoutMs;

    @Option(names = "--skip-throughput", description = "No throughput runs")
    boolean skipThroughput;

    @Option(names = "--skip-failover", description = "No failover runs")
    boolean skipFailover;

    @Option(names = "--skip-isolation", description = "No isolation runs")
    boolean skipIsolation;

    @Option(names = "--heavy-learner", defaultValue = "meta.AdaptiveRandomForest -s 10",
            description = "The heavy model of the isolation runs (default: ${DEFAULT-VALUE})")
    String heavyLearner;

    @Option(names = "--heavy-generator", defaultValue = "generators.RandomTreeGenerator -c 2 -o 3 -u 5 -v 300 -r 7 -i 7",
            description = "Its stream (default: ${DEFAULT-VALUE})")
    String heavyGenerator;

    @Option(names = "--heavy-events", defaultValue = "20000", description = "Its backlog (default: ${DEFAULT-VALUE})")
    int heavyEvents;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown tables to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        StringBuilder md = new StringBuilder();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            ScaleOutBench bench = new ScaleOutBench(broker, models, eventsPerModel, generator, learner, partitions);
            md.append(String.format(Locale.ROOT, "Run on %s, %d cores, Java %s: %d models (`%s`, seeds per model), "
                            + "learner `%s`, %d partitions, exactly-once, broker in the harness JVM, each trainer a "
                            + "JVM of its own (`train --defined-models-only`, -Xmx512m).%n%n"
                            + "| trainer instances | events | s from start | s from first prediction | events/s | "
                            + "vs 1 instance |%n|---:|---:|---:|---:|---:|---:|%n", LocalDate.now(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), models,
                    generator, learner, partitions));
            double single = 0;
            for (int n = 1; n <= instances && !skipThroughput; n++) {
                ScaleOutBench.Throughput run = bench.throughput(n);
                single = n == 1 ? run.eventsPerSecond() : single;
                md.append(String.format(Locale.ROOT, "| %d | %,d | %.1f | %.1f | %,.0f | %.2f |%n", n, run.events(),
                        run.secondsFromStart(), run.secondsOfWork(), run.eventsPerSecond(),
                        run.eventsPerSecond() / single));
                System.out.printf(Locale.ROOT, "%d instance(s): %,.0f events/s%n", n, run.eventsPerSecond());
            }
            if (!skipIsolation) {
                md.append(String.format(Locale.ROOT, "%nIsolation: one trainer JVM learns a light model's backlog (`%s` "
                        + "on %,d events of `%s`) alone, then beside a heavy model's backlog on another partition "
                        + "(`%s` on %,d events of `%s`), with 1 and 2 stream threads; seconds from the trainer's "
                        + "start (its JVM's start included) to each model's last committed prediction.%n%n"
                        + "| setting | stream threads | light model done after s | heavy model done after s |%n"
                        + "|---|---:|---:|---:|%n", learner, heavyEvents, generator, heavyLearner, heavyEvents,
                        heavyGenerator));
                for (ScaleOutBench.Isolation run : List.of(
                        bench.isolation("light alone", 1, null, null, heavyEvents),
                        bench.isolation("beside the heavy model", 1, heavyLearner, heavyGenerator, heavyEvents),
                        bench.isolation("beside the heavy model", 2, heavyLearner, heavyGenerator, heavyEvents))) {
                    md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s |%n", run.setting(), run.threads(),
                            run.lightSeconds(), Double.isNaN(run.heavySeconds()) ? "" : String.format(Locale.ROOT,
                                    "%.1f", run.heavySeconds())));
                }
            }
            if (!skipFailover) {
                md.append(String.format(Locale.ROOT, "%nFailover: 3 instances, %.0f events/s over the %d models, one "
                        + "instance killed with SIGKILL after 30 s; per model it held, the time from the kill to its "
                        + "next committed prediction.%n%n| standby replicas | models moved | median s | max s | "
                        + "session timeout ms |%n|---:|---:|---:|---:|---:|%n", rate, models));
                for (int standbys : new int[] {0, 1}) {
                    ScaleOutBench.Failover run = bench.failover(standbys, rate, Duration.ofSeconds(30),
                            sessionTimeoutMs);
                    md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.1f | %d |%n", run.standbys(),
                            run.modelsMoved(), run.medianSeconds(), run.maxSeconds(), run.sessionTimeoutMs()));
                }
            }
        }
        System.out.println();
        System.out.println(md);
        if (out != null) {
            Files.writeString(out, md.toString());
        }
        return 0;
    }
}
