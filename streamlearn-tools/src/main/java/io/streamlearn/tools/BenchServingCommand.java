package io.streamlearn.tools;

import io.streamlearn.cli.DataOptions;
import io.streamlearn.tools.bench.ServingBench;
import io.streamlearn.tools.bench.Wrk;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.serve.ServingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The prediction server's HTTP benchmark; writes its table as Markdown. */
@Command(name = "bench-serving", mixinStandardHelpOptions = true,
        description = "Load the prediction server on localhost with wrk (single and batch predictions) beside a "
                + "trivial Vert.x handler, and compare the batch rate with the in-process predict rate.")
final class BenchServingCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--learner", defaultValue = LearnerFactory.DEFAULT_SPEC, description = "(default: ${DEFAULT-VALUE})")
    String learner;

    @Option(names = "--duration", defaultValue = "10", description = "Seconds per measured run, each after a warm-up "
            + "run as long (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--connections", defaultValue = "32", description = "(default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--threads", defaultValue = "1", description = "wrk threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--batch", defaultValue = "100", description = "Instances per batch request (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--event-loops", description = "HTTP event loops of the prediction server and of the trivial "
            + "handler (default: one per core, the server's default)")
    Integer eventLoops;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        Wrk wrk = new Wrk(threads, connections, seconds);
        try (ServingBench bench = new ServingBench(data.read(), learner, loops())) {
            ServingBench.Result trivial = bench.trivial(wrk, bench.singleBody());
            ServingBench.Result single = bench.single(wrk);
            ServingBench.Result batched = bench.batch(wrk, batch);
            ServingBench.Result tensor = bench.tensorBatch(wrk, batch);
            ServingBench.Result binary = bench.binaryTensorBatch(wrk, batch);
            double inProcess = bench.inProcessRate(batch, 5);
            String table = markdown(List.of(trivial, single, batched, tensor, binary), inProcess);
            System.out.println(table);
            if (out != null) {
                Files.writeString(out, table);
            }
        }
        return 0;
    }

    private int loops() {
        return eventLoops != null ? eventLoops : ServingConfig.DEFAULT_HTTP_EVENT_LOOPS;
    }

    private String markdown(List<ServingBench.Result> results, double inProcess) {
        ServingBench.Result trivial = results.get(0);
        ServingBench.Result single = results.get(1);
        ServingBench.Result batched = results.get(2);
        ServingBench.Result tensor = results.get(3);
        ServingBench.Result binary = results.get(4);
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Run on %s, %d cores, Java %s, learner `%s` "
                        + "trained on %s, wrk -t%d -c%d, %d HTTP event loop(s) per server, %d s per run after a %d s "
                        + "warm-up.%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                learner, data.modelName(), threads, connections, loops(), seconds, seconds));
        md.append("| load | requests/s | instances/s | p50 ms | p99 ms | non-2xx |\n|---|---:|---:|---:|---:|---:|\n");
        for (ServingBench.Result result : results) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %.2f | %d |%n", result.name(),
                    result.requestsPerSecond(), result.instancesPerSecond(), result.p50Ms(), result.p99Ms(),
                    result.non2xx()));
        }
        md.append(String.format(Locale.ROOT, "| in-process `predictAll` of the same batch (median of 5 × 1 s) | | "
                + "%,.0f | | | |%n%n", inProcess));
        md.append(String.format(Locale.ROOT, "Single predictions: **%,.0f/s** (target ≥ 25,000), p99 **%.2f ms** "
                        + "(target ≤ 5), **%.2f** of the trivial handler (target ≥ 0.50). Batch endpoints: `/v1` "
                        + "**%.2f**, `/v2` matrix **%.2f**, `/v2` binary matrix **%.2f** of the in-process rate (target "
                        + "≥ 0.50).%n",
                single.requestsPerSecond(), single.p99Ms(), single.requestsPerSecond() / trivial.requestsPerSecond(),
                batched.instancesPerSecond() / inProcess, tensor.instancesPerSecond() / inProcess,
                binary.instancesPerSecond() / inProcess));
        return md.toString();
    }
}
