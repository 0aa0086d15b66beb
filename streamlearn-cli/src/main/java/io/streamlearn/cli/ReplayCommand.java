package io.streamlearn.cli;

import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.config.ConfigValues;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.topic.Topic;
import java.util.List;
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

    @Mixin
    SettingsOptions settings;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "0",
            description = "Events per second, 0 for as fast as possible (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--label-delay", paramLabel = "N", defaultValue = "0",
            description = "Send each label to the labels topic N events after its event instead of inline")
    int labelDelay;

    @Option(names = "--topic", description = "Events topic; the key topic.events (default: events) when left out")
    String eventsTopicFlag;

    @Option(names = "--labels-topic", description = "Labels topic; the key topic.labels (default: labels) when left out")
    String labelsTopicFlag;

    @Override
    public Integer call() throws Exception {
        ConfigValues values = new ConfigValues(settings.merged(kafka.flag(),
                new SettingsOptions.Flag("--topic", Topic.EVENTS.key(), eventsTopicFlag),
                new SettingsOptions.Flag("--labels-topic", Topic.LABELS.key(), labelsTopicFlag)));
        List<String> unknown = values.unknownKeys();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("invalid replay configuration: " + String.join("; ", unknown));
        }
        String eventsTopic = Topic.EVENTS.name(values);
        Dataset dataset = data.read();
        long start = System.nanoTime();
        try (EventReplayer replayer = new EventReplayer(values.get("bootstrap.servers", "localhost:9092"),
                values.withPrefix("kafka."), new EventReplayer.ReplayOptions(eventsTopic, Topic.LABELS.name(values),
                        data.modelName(), rate, labelDelay))) {
            replayer.replay(dataset, System::currentTimeMillis);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Produced %,d events of model '%s' to %s in %.1f s (%,.0f events/s)%n",
                dataset.rows().size(), data.modelName(), eventsTopic, seconds, dataset.rows().size() / seconds);
        return 0;
    }
}
