package io.streamlearn.tools.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.drift.DriftMonitorApplication;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.kafka.DriftTopics;
import io.streamlearn.kafka.CommittedRecordCounter;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End-to-end throughput of the drift monitor against the trainer's, both exactly-once on one embedded broker: per
 * round, the dataset's events (labels inline) go to fresh topics; the trainer is timed from {@code RUNNING} until a
 * {@code read_committed} consumer has seen one prediction per event; then the monitor reads those events and
 * predictions (its feature, prediction and concept windows all busy) and is timed until it has processed every event
 * and every prediction (its counters; its commits follow within the 100 ms commit interval).
 */
public final class DriftThroughputBench {

    /**
     * One round's figures: events per second of the trainer and of the monitor (each event with its prediction), and
     * the CPU time of each one's stream threads over its timed span.
     */
    public record Result(long events, double trainerSeconds, double monitorSeconds, long trainerCpuNanos,
            long monitorCpuNanos) {

        public double trainerRate() {
            return events / trainerSeconds;
        }

        public double monitorRate() {
            return events / monitorSeconds;
        }

        public double ratio() {
            return monitorRate() / trainerRate();
        }

        /** The trainer's stream-thread CPU µs per event. */
        public double trainerCpuMicros() {
            return trainerCpuNanos / 1e3 / events;
        }

        /** The monitor's stream-thread CPU µs per event (each event with its prediction). */
        public double monitorCpuMicros() {
            return monitorCpuNanos / 1e3 / events;
        }
    }

    private final Dataset dataset;
    private final String learner;

    public DriftThroughputBench(Dataset dataset, String learner, int repeats) {
        List<LabeledRow> rows = new ArrayList<>(dataset.rows().size() * repeats);
        for (int i = 0; i < repeats; i++) {
            rows.addAll(dataset.rows());
        }
        this.dataset = new Dataset(dataset.schema(), rows);
        this.learner = learner;
    }

    public long events() {
        return dataset.rows().size();
    }

    /** The round with the median ratio, and all rounds. */
    public List<Result> run(int rounds) throws Exception {
        List<Result> results = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            for (int round = 1; round <= rounds; round++) {
                results.add(round(broker, "drift" + round));
            }
        }
        results.sort(Comparator.comparingDouble(Result::ratio));
        return results;
    }

    private Result round(EmbeddedKafkaBroker broker, String prefix) throws Exception {
        Path state = BenchDirectories.create("bench-" + prefix);
        Map<String, String> values = new HashMap<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "bench-" + prefix,
                "drift.application.id", "bench-drift-" + prefix,
                "processing.guarantee", "exactly_once_v2",
                "topic.events", prefix + ".events",
                "topic.labels", prefix + ".labels",
                "topic.predictions", prefix + ".predictions",
                "topic.dlq", prefix + ".dlq",
                "topic.models", prefix + ".models",
                "kafka.state.dir", state.toString()));
        values.put("topic.drift.alerts", prefix + ".drift-alerts");
        values.put("topic.retrain.requests", prefix + ".retrain-requests");
        TrainerConfig trainerConfig = TrainerConfig.of(values);
        TrainerTopics.createMissing(trainerConfig, 1, (short) 1);
        try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                trainerConfig.eventsTopic(), trainerConfig.labelsTopic(), dataset.schema().model(), 0, 0))) {
            replayer.replay(dataset, () -> 1_700_000_000_000L);
        }
        long events = dataset.rows().size();

        double trainerSeconds;
        long trainerCpu;
        try (CommittedRecordCounter predictions = new CommittedRecordCounter(broker.bootstrapServers(),
                trainerConfig.predictionsTopic());
                TrainerApplication trainer = TrainerApplication.start(trainerConfig,
                        List.of(new ModelDefinition(dataset.schema(), learner)), new SimpleMeterRegistry())) {
            awaitRunning(trainer::state);
            long begin = System.nanoTime();
            long cpuBegin = ThroughputBench.streamThreadCpuNanos(trainerConfig.applicationId());
            awaitCount(predictions::count, events);
            trainerSeconds = (System.nanoTime() - begin) / 1e9;
            trainerCpu = ThroughputBench.streamThreadCpuNanos(trainerConfig.applicationId()) - cpuBegin;
        }

        DriftMonitorConfig driftConfig = DriftMonitorConfig.of(values);
        DriftTopics.createMissing(driftConfig, 1, (short) 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String model = dataset.schema().model();
        double monitorSeconds;
        long monitorCpu;
        try (DriftMonitorApplication monitor = DriftMonitorApplication.start(driftConfig, registry)) {
            awaitRunning(monitor::state);
            long begin = System.nanoTime();
            long cpuBegin = ThroughputBench.streamThreadCpuNanos(driftConfig.applicationId());
            awaitCount(() -> count(registry, "streamlearn.drift.events", model)
                    + count(registry, "streamlearn.drift.predictions", model), 2 * events);
            monitorSeconds = (System.nanoTime() - begin) / 1e9;
            monitorCpu = ThroughputBench.streamThreadCpuNanos(driftConfig.applicationId()) - cpuBegin;
        }
        return new Result(events, trainerSeconds, monitorSeconds, trainerCpu, monitorCpu);
    }

    private static long count(SimpleMeterRegistry registry, String name, String model) {
        Counter counter = registry.find(name).tag("model", model).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private interface Count {
        long get() throws Exception;
    }

    private static void awaitRunning(Supplier<KafkaStreams.State> state)
            throws InterruptedException {
        while (state.get() != KafkaStreams.State.RUNNING) {
            Thread.sleep(5);
        }
    }

    private static void awaitCount(Count count, long target) throws Exception {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (count.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.get() + " of " + target + " after 10 minutes");
            }
            Thread.sleep(10);
        }
    }
}
