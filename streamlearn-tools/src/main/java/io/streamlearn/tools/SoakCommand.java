package io.streamlearn.tools;

import io.streamlearn.cli.DataOptions;
import io.streamlearn.tools.bench.SoakRun;
import io.streamlearn.core.learn.LearnerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The soak harness: steady load on trainer + server, heap/threads/clients sampled; Markdown out, exit 1 on a leak. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run trainer and prediction server on an embedded broker under steady load (events at a fixed "
                + "rate, HTTP clients predicting without pause) and sample heap after GC, threads, Vert.x threads and "
                + "Kafka clients. Exits 1 when a request failed, threads or Kafka clients kept appearing, or the heap "
                + "grew faster than --max-heap-slope in the second half.")
final class SoakCommand implements Callable<Integer> {

    /** Short-lived threads (a Kafka client's reconnect, a JIT compiler thread) come and go; a leak keeps adding. */
    private static final int THREAD_TOLERANCE = 2;

    @Mixin
    DataOptions data;

    @Option(names = "--learner", defaultValue = LearnerFactory.DEFAULT_SPEC, description = "(default: ${DEFAULT-VALUE})")
    String learner;

    @Option(names = "--minutes", defaultValue = "10", description = "Length of the run (default: ${DEFAULT-VALUE})")
    double minutes;

    @Option(names = "--rate", defaultValue = "500", description = "Events per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--clients", defaultValue = "2", description = "HTTP client threads (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--sample-seconds", defaultValue = "15", description = "Seconds between samples "
            + "(default: ${DEFAULT-VALUE})")
    int sampleSeconds;

    @Option(names = "--max-heap-slope", defaultValue = "2.0", description = "Largest heap growth in MiB per minute "
            + "accepted over the second half (default: ${DEFAULT-VALUE})")
    double maxHeapSlope;

    @Option(names = "--state-dir", defaultValue = "target/soak-state", description = "Kafka Streams state directory "
            + "(default: ${DEFAULT-VALUE})")
    Path stateDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown report to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        SoakRun.Result result = new SoakRun(data.read(), learner,
                new SoakRun.Options((int) Math.round(minutes * 60), rate, clients, sampleSeconds)).run(stateDir);
        boolean healthy = result.failedRequests() == 0 && result.threadSpread() <= THREAD_TOLERANCE
                && result.kafkaClientSpread() == 0 && result.heapSlopeMbPerMin() <= maxHeapSlope;
        String report = markdown(result, healthy);
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report);
        }
        return healthy ? 0 : 1;
    }

    private String markdown(SoakRun.Result result, boolean healthy) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Soak on %s, %d cores, Java %s: `%s` on %s, "
                        + "%.1f min, %,.0f events/s, %d HTTP clients, a sample every %d s.%n%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), learner,
                data.modelName(), minutes, rate, clients, sampleSeconds));
        md.append("| s | heap after GC (MiB) | threads | Vert.x event loops | Kafka clients | events sent | requests |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SoakRun.Sample s : result.samples()) {
            md.append(String.format(Locale.ROOT, "| %.0f | %.1f | %d | %d | %d | %,d | %,d |%n", s.atSeconds(),
                    s.heapBytes() / 1048576.0, s.threads(), s.vertxThreads(), s.kafkaClients(), s.eventsSent(),
                    s.requests()));
        }
        md.append(String.format(Locale.ROOT, "%nRequests %,d, failed %d; events sent %,d; second half: heap slope "
                        + "%.2f MiB/min (limit %.1f), thread count spread %d, Kafka client spread %d → %s.%n",
                result.requests(), result.failedRequests(), result.eventsSent(), result.heapSlopeMbPerMin(),
                maxHeapSlope, result.threadSpread(), result.kafkaClientSpread(), healthy ? "no leak seen" : "LEAK?"));
        return md.toString();
    }
}
