package io.streamlearn.cli;

import picocli.CommandLine.Option;

/** How to reach an existing Kafka cluster. */
public final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", required = true,
            description = "Kafka bootstrap servers, e.g. localhost:9092")
    String bootstrapServers;

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
