package io.streamlearn.tools;

import io.streamlearn.tools.bench.RetrainBench;
import io.streamlearn.batch.RetrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One plain XGBoost fit against the full tuned retrain on the same rows, on the CPU. */
@Command(name = "bench-retrain", mixinStandardHelpOptions = true,
        description = "Time one XGBoost fit and the full tuned retrain (search, CV, final fit, gate) on a seeded "
                + "synthetic stream, on the CPU; report the ratio (target: within 10x).")
final class BenchRetrainCommand implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "100000", description = "Rows of the window (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the stream (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--nthread", defaultValue = "1", description = "XGBoost threads (default: ${DEFAULT-VALUE})")
    int nthread;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        RetrainSettings settings = RetrainSettings.defaults().withDevice("cpu", false).withThreads(nthread);
        String table = RetrainBench.markdown(RetrainBench.run(RetrainBench.agrawal(rows, seed), settings), settings);
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table);
        }
        return 0;
    }
}
