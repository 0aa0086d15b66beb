package io.streamlearn.cli;

import picocli.CommandLine.Option;

/** How to reach an existing Kafka cluster. */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers, e.g. localhost:9092; the key bootstrap.servers (default: "
                    + "localhost:9092) when left out")
    String bootstrapServers;

    /** The flag as a shorthand of {@code bootstrap.servers}. */
    public SettingsOptions.Flag flag() {
        return new SettingsOptions.Flag("--bootstrap-servers", "bootstrap.servers", bootstrapServers);
    }
}
