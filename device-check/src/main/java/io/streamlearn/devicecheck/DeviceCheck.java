package io.streamlearn.devicecheck;

import io.streamlearn.cli.GpuCheckCommand;
import io.streamlearn.tools.BenchRetrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The device check's own small command line: the two commands that prove the GPU path on a CUDA machine
 * ({@code gpu-check}, {@code bench-retrain --device cuda}), without Kafka, Vert.x or RocksDB on the classpath, and the
 * step that reduces XGBoost's CUDA library for the bundle. See bin/device-bundle and docs/retraining.md.
 */
@Command(name = "device-check", mixinStandardHelpOptions = true,
        subcommands = {GpuCheckCommand.class, BenchRetrainCommand.class, ReduceCudaLibraryCommand.class},
        description = "XGBoost on CPU and CUDA, from a bundle small enough for a GPU machine without Java.")
public final class DeviceCheck {

    public static void main(String[] args) {
        System.exit(new CommandLine(new DeviceCheck()).execute(args));
    }
}
