package io.streamlearn.devicecheck;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes a copy of a CUDA library with only the GPU code one architecture can use (bin/device-bundle's step). */
@Command(name = "reduce-cuda-library", mixinStandardHelpOptions = true,
        description = "Copy a CUDA shared library (e.g. XGBoost's libxgboost4j.so) with the GPU code of every other "
                + "architecture zeroed: host code, headers and layout untouched, so it compresses to a fraction.")
final class ReduceCudaLibraryCommand implements Callable<Integer> {

    @Option(names = "--compute-capability", defaultValue = "9.0",
            description = "The target GPU's compute capability, e.g. 9.0 for H100/H200, 8.9 for L4/L40S, 8.0 for A100 "
                    + "(default: ${DEFAULT-VALUE})")
    String computeCapability;

    @Parameters(index = "0", paramLabel = "LIBRARY")
    Path library;

    @Parameters(index = "1", paramLabel = "REDUCED")
    Path reduced;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int target = Math.round(Float.parseFloat(computeCapability) * 10);
        CudaFatbins.Reduction reduction = CudaFatbins.reduce(library, reduced, target);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "reduced %s for compute capability %s: %d fatbin containers, %d of them without code "
                + "for it (built for other GPUs only)%n", library.getFileName(), computeCapability,
                reduction.containers(), reduction.containersWithoutCode());
        out.printf(Locale.ROOT, "kept   %,d bytes %s%n", reduction.keptBytes(), reduction.kept());
        out.printf(Locale.ROOT, "zeroed %,d bytes %s%n", reduction.zeroedBytes(), reduction.zeroed());
        out.flush();
        return 0;
    }
}
