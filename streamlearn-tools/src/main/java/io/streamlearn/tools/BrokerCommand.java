package io.streamlearn.tools;

import io.streamlearn.cli.ShutdownSignal;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs only the embedded single-node KRaft broker, for users of kcat, kafkajs or any other client. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run an embedded single-node Kafka broker (KRaft, in-process) with streamlearn's topics.")
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--kafka-port", paramLabel = "P", defaultValue = "9092",
            description = "Broker port, 0 for a free one (default: ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Log directory kept across restarts (default: a temporary directory deleted on exit)")
    Path dataDir;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
            description = "Partitions of the topics it creates (default: ${DEFAULT-VALUE})")
    int partitions;

    @Override
    public Integer call() throws Exception {
        try (ShutdownSignal shutdown = new ShutdownSignal();
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(kafkaPort, dataDir)) {
            TrainerTopics.createMissing(TrainerConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers())),
                    partitions, (short) 1);
            System.out.println("Kafka broker (KRaft) listening on " + broker.bootstrapServers() + ", data in "
                    + broker.dataDir());
            System.out.println("Topics: events, labels, predictions, events.dlq, models. Ctrl-C to stop.");
            shutdown.await();
        }
        return 0;
    }
}
