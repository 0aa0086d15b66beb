package io.streamlearn.cli;

import io.streamlearn.batch.GpuCheck;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Times the same XGBoost fit on the CPU and on CUDA, or says plainly that XGBoost found no GPU. Each line names the
 * device the fit's own booster says it trained on. Public: the device-check bundle (bin/device-bundle) runs it
 * from its own small command line.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = "Train the same XGBoost model (binary:logistic, hist, depth 8) on the CPU and with device=cuda; "
                + "print both times and the speedup, or that XGBoost used the CPU for device=cuda.")
public final class GpuCheckCommand implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "1000000", description = "Synthetic rows (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--features", defaultValue = "28", description = "Features per row (default: ${DEFAULT-VALUE})")
    int features;

    @Option(names = "--rounds", defaultValue = "200", description = "Boosting rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--nthread", description = "CPU threads of the CPU fit (default: all cores)")
    Integer nthread;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic data (default: ${DEFAULT-VALUE})")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int threads = nthread == null ? Runtime.getRuntime().availableProcessors() : nthread;
        out.printf(Locale.ROOT, "gpu-check: %,d rows x %d features, %d rounds, depth 8, binary:logistic, hist%n",
                rows, features, rounds);
        GpuCheck check = GpuCheck.run(rows, features, rounds, threads, seed);
        out.printf(Locale.ROOT, "cpu  (nthread=%d, booster device=%s): %.2f s, train logloss %.4f%n", threads,
                check.cpuDevice(), check.cpuSeconds(), check.cpuLogLoss());
        if (!check.cuda().usedGpu()) {
            out.println("no GPU: XGBoost used cpu for device=cuda (" + check.cuda().evidence() + ")");
            out.flush();
            return 0;
        }
        out.printf(Locale.ROOT, "cuda (%s): %.2f s, train logloss %.4f%n", check.cuda().evidence(),
                check.cudaSeconds(), check.cudaLogLoss());
        out.printf(Locale.ROOT, "speedup: %.1fx%n", check.speedup());
        out.flush();
        return 0;
    }
}
