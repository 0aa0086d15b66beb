package io.streamlearn.tools;

import io.streamlearn.batch.RetrainException;
import io.streamlearn.batch.RetrainSettings;
import io.streamlearn.tools.bench.RetrainBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One plain XGBoost fit against the full tuned retrain on the same rows, on the CPU or on CUDA. Public: the
 * device-check bundle (bin/device-bundle) runs it from its own small command line.
 */
@Command(name = "bench-retrain", mixinStandardHelpOptions = true,
        description = "Time one XGBoost fit and the full tuned retrain (search, CV, final fit, gate) on a seeded "
                + "synthetic stream, on the CPU or with --device cuda on a GPU; report the ratio (target: within 10x).")
public final class BenchRetrainCommand implements Callable<Integer> {

    /** Exit code of {@code --device cuda} where XGBoost would train on the CPU: a CPU figure must not pass for CUDA. */
    static final int NO_GPU = 3;

    @Option(names = "--rows", defaultValue = "100000", description = "Rows of the window (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the stream (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--nthread", defaultValue = "1", description = "XGBoost threads (default: ${DEFAULT-VALUE})")
    int nthread;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda; cuda fails (exit 3) where XGBoost "
            + "would fall back to the CPU (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table to this file")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!device.equals("cpu") && !device.equals("cuda")) {
            System.err.println("bench-retrain: --device is cpu or cuda, not " + device);
            return 2;
        }
        RetrainSettings settings = RetrainSettings.defaults().withDevice(device, device.equals("cuda"))
                .withThreads(nthread);
        String table;
        try {
            table = RetrainBench.markdown(RetrainBench.run(RetrainBench.agrawal(rows, seed), settings), settings);
        } catch (RetrainException e) {
            if (e.reason() != RetrainException.Reason.GPU_REQUIRED) {
                throw e;
            }
            System.err.println("bench-retrain: no GPU: " + e.getMessage());
            return NO_GPU;
        }
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table);
        }
        return 0;
    }
}
