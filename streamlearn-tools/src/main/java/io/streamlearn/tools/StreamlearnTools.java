package io.streamlearn.tools;

import io.streamlearn.cli.StreamlearnCommand;
import picocli.CommandLine;

/**
 * Entry point of {@code bin/streamlearn}: the production command line of {@code streamlearn-cli} plus the demo, the
 * embedded broker, the data generator, the soak test and the benchmarks, which stay out of the production image.
 */
public final class StreamlearnTools {

    private StreamlearnTools() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return StreamlearnCommand.commandLine(new DemoCommand(), new BrokerCommand(), new GenerateCommand(),
                new ScreenshotsCommand(), new SoakCommand(), new BenchCommand(), new BenchServingCommand(),
                new BenchFreshnessCommand(), new BenchDriftCommand(), new BenchRetrainCommand(),
                new BenchPostDriftCommand(), new BenchRetrainLoopCommand(), new BenchScaleCommand(),
                new BenchShardsCommand());
    }
}
