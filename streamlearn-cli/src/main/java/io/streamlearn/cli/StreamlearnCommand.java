package io.streamlearn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the production jar (deploy/Dockerfile): the services and what an operator runs beside them.
 * {@code streamlearn-tools} adds the demo, the embedded broker and the benchmarks to the same command line for
 * {@code bin/streamlearn}.
 */
@Command(name = "streamlearn", mixinStandardHelpOptions = true, version = "streamlearn 0.1.0",
        description = "Online machine learning on Kafka event streams.",
        subcommands = {TrainCommand.class, ModelsCommand.class, ServeCommand.class, MonitorCommand.class,
            RetrainCommand.class, ReplayCommand.class, SchemaCommand.class, GpuCheckCommand.class})
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

    /** The production commands, then {@code more} (annotated picocli commands), in that order in the usage. */
    public static CommandLine commandLine(Object... more) {
        CommandLine commandLine = new CommandLine(new StreamlearnCommand());
        for (Object command : more) {
            commandLine.addSubcommand(command);
        }
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    }
}
