package io.streamlearn.cli;

import picocli.CommandLine.Option;

/** How a service command creates the topics it needs when they are missing. */
public final class TopicOptions {

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Partitions of topics created when missing (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "R", defaultValue = "1",
            description = "Replication factor of topics created when missing (default: ${DEFAULT-VALUE})")
    short replication;

    public int partitions() {
        return partitions;
    }

    public short replication() {
        return replication;
    }
}
