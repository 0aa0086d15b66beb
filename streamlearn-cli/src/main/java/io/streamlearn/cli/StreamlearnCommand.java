package io.streamlearn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/streamlearn}. */
@Command(name = "streamlearn", mixinStandardHelpOptions = true, version = "streamlearn 0.1.0",
        description = "Online machine learning on Kafka event streams.",
        subcommands = {DemoCommand.class, TrainCommand.class, ServeCommand.class, BrokerCommand.class,
            ReplayCommand.class, SchemaCommand.class, GenerateCommand.class, BenchCommand.class,
            BenchServingCommand.class, BenchFreshnessCommand.class, MonitorCommand.class, GpuCheckCommand.class,
            BenchRetrainCommand.class, BenchPostDriftCommand.class, RetrainCommand.class,
            BenchRetrainLoopCommand.class, SoakCommand.class, BenchDriftCommand.class})
public final class StreamlearnCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new StreamlearnCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
