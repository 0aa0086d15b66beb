package io.streamlearn.cli;

import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.data.Dataset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Produces a data file to the events topic of any cluster. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Produce a CSV/ARFF file as JSON events (keyed by model name) to a Kafka cluster.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    DataOptions data;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "0",
            description = "Events per second, 0 for as fast as possible (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--label-delay", paramLabel = "N", defaultValue = "0",
            description = "Send each label to the labels topic N events after its event instead of inline")
    int labelDelay;

    @Option(names = "--topic", defaultValue = "events", description = "Events topic (default: ${DEFAULT-VALUE})")
    String eventsTopic;

    @Option(names = "--labels-topic", defaultValue = "labels", description = "Labels topic (default: ${DEFAULT-VALUE})")
    String labelsTopic;

    @Override
    public Integer call() throws Exception {
        Dataset dataset = data.read();
        long start = System.nanoTime();
        try (EventReplayer replayer = new EventReplayer(kafka.bootstrapServers(),
                new EventReplayer.ReplayOptions(eventsTopic, labelsTopic, data.modelName(), rate, labelDelay))) {
            replayer.replay(dataset, System::currentTimeMillis);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Produced %,d events of model '%s' to %s in %.1f s (%,.0f events/s)%n",
                dataset.rows().size(), data.modelName(), eventsTopic, seconds, dataset.rows().size() / seconds);
        return 0;
    }
}
