package io.streamlearn.tools.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Events/s of one ensemble model trained whole (one task) or in shards ({@code docs/sharding.md}), on one embedded
 * broker with one or more Kafka Streams instances of one application in this JVM. A run produces its backlog first,
 * then starts the instances and times the model from its first event consumed to its last prediction made (the
 * trainers' own counters, as records are processed; committed outputs become visible a transaction at a time), so
 * start-up and the group's first rebalance are left out; a sharded model's time includes the last votes' way back (up
 * to a commit interval). Everything shares this machine's cores with the broker.
 */
public final class ShardBench {

    /** One measured configuration. */
    public record Run(String learner, int shards, int instances, int events, double eventsPerSecond) {
    }

    private final EmbeddedKafkaBroker broker;
    private final Dataset dataset;
    private final int partitions;
    private int runs;

    public ShardBench(EmbeddedKafkaBroker broker, Dataset dataset, int partitions) {
        this.broker = broker;
        this.dataset = dataset;
        this.partitions = partitions;
    }

    /**
     * @param shards 0 for the unsharded model, else the number of shards
     */
    public Run run(String learner, int shards, int instances, int events) throws Exception {
        String name = "shards" + (++runs);
        Path state = BenchDirectories.create("streamlearn-shard-bench");
        Map<String, String> settings = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "application.id", name, "snapshot.interval.ms", "1000",
                // The unsharded runs as a user runs them: without the shard stages.
                "shard.enabled", Boolean.toString(shards > 0)));
        for (String topic : List.of("events", "labels", "predictions", "dlq", "models", "definitions", "anomalies")) {
            settings.put("topic." + topic, name + "." + topic);
        }
        TrainerConfig config = TrainerConfig.of(settings);
        TrainerTopics.createMissing(config, partitions, (short) 1);
        Dataset backlog = dataset.limit(events);
        try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                config.eventsTopic(), config.labelsTopic(), dataset.schema().model(), 0, 0))) {
            replayer.replay(backlog, System::currentTimeMillis);
        }
        ModelDefinition definition = new ModelDefinition(dataset.schema(), learner).withShards(shards);
        List<TrainerApplication> trainers = new ArrayList<>();
        List<MeterRegistry> registries = new ArrayList<>();
        try {
            for (int instance = 0; instance < instances; instance++) {
                Map<String, String> own = new HashMap<>(settings);
                own.put("kafka.state.dir", state.resolve("instance-" + instance).toString());
                registries.add(new SimpleMeterRegistry());
                trainers.add(TrainerApplication.start(TrainerConfig.of(own), ModelCatalog.of(List.of(definition)),
                        registries.get(instance)));
            }
            long first = awaitCount(count(registries, "streamlearn.train.events", definition.name()), 1, trainers);
            long last = awaitCount(count(registries, "streamlearn.train.predictions", definition.name()), events,
                    trainers);
            return new Run(learner, shards, instances, events, events / ((last - first) / 1e9));
        } finally {
            trainers.forEach(TrainerApplication::close);
        }
    }

    /** A trainer counter of the model, summed over the instances. */
    private static LongSupplier count(List<MeterRegistry> registries, String meter, String model) {
        return () -> Math.round(registries.stream()
                .map(registry -> registry.find(meter).tag("model", model).counter())
                .mapToDouble(counter -> counter == null ? 0 : counter.count()).sum());
    }

    private static long awaitCount(LongSupplier counter, long wanted, List<TrainerApplication> trainers)
            throws InterruptedException {
        long deadline = System.nanoTime() + 900_000_000_000L;
        while (counter.getAsLong() < wanted) {
            for (TrainerApplication trainer : trainers) {
                if (!trainer.isAlive()) {
                    throw new IllegalStateException("a trainer stopped: " + trainer.failure().reason().orElse("?"));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(counter.getAsLong() + " of " + wanted + " predictions after 15 minutes");
            }
            Thread.sleep(2);
        }
        return System.nanoTime();
    }
}
