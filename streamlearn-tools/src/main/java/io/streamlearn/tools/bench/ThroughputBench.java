package io.streamlearn.tools.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.kafka.CommittedRecordCounter;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import io.streamlearn.trainer.kafka.TrainerTopology;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The end-to-end harness behind {@code streamlearn bench}: (a) MOA's test-then-train loop alone, (b) a pass-through
 * Streams topology (parse and forward, exactly-once), (c) the trainer with exactly-once, (d) the trainer with
 * at-least-once. Each Kafka variant reads the same pre-produced events from its own topics on one embedded broker,
 * timed from the moment its Streams instance is running until its committed offsets reach the end of the input.
 */
public final class ThroughputBench {

    /**
     * One measured variant. {@code cpuNanos} is the CPU time, over the timed span, of the thread that learns: the
     * Streams application's stream thread, or the loop's own thread for (a). CPU per event holds still on a loaded
     * machine, where wall-clock rates do not.
     */
    public record Result(String name, long events, double seconds, long heapBytes, String threadTime, long cpuNanos) {
        public double eventsPerSecond() {
            return events / seconds;
        }

        public double cpuMicrosPerEvent() {
            return cpuNanos / 1e3 / events;
        }

        /** Share of the timed span the thread was on a CPU. */
        public double onCpu() {
            return cpuNanos / 1e9 / seconds;
        }
    }

    private final Dataset dataset;
    private final String learner;
    private final int repeats;

    private final Map<String, String> settings;

    /**
     * @param settings trainer settings applied to every Kafka variant alike, e.g. {@code kafka.commit.interval.ms}
     */
    public ThroughputBench(Dataset dataset, String learner, int repeats, Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
        this.dataset = repeat(dataset, repeats);
        this.learner = learner;
        this.repeats = repeats;
    }

    public long events() {
        return dataset.rows().size();
    }

    public Result rawMoaLoop() throws Exception {
        FeatureEncoder encoder = new FeatureEncoder(dataset.schema());
        EventCodec codec = new EventCodec();
        List<double[]> features = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        for (int i = 0; i < dataset.rows().size(); i++) {
            LabeledRow row = dataset.rows().get(i);
            var event = codec.decodeEvent(codec.encodeEvent("r" + i, 0, dataset.schema().model(), row), null, 0);
            features.add(encoder.encodeFeatures(event.features()));
            labels.add(encoder.encodeLabel(event.label()));
        }
        OnlineLearner model = LearnerFactory.create(learner, dataset.schema());
        PrequentialEvaluator evaluator = PrequentialEvaluator.forSchema(dataset.schema(), 1000);
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < features.size(); i++) {
            Prediction prediction = model.predict(features.get(i));
            evaluator.record(labels.get(i), prediction);
            model.learn(features.get(i), labels.get(i));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result("(a) MOA test-then-train loop, no Kafka", features.size(), seconds, 0, "-",
                ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart);
    }

    /**
     * Runs (b), (c) and (d) in turn, {@code rounds} times on one broker (fresh topics each time), and keeps each
     * variant's median round: single runs on two shared cores vary by ±20%.
     */
    public List<Result> kafkaVariants(int rounds) throws Exception {
        List<List<Result>> byVariant = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            for (int round = 1; round <= rounds; round++) {
                byVariant.get(0).add(passThrough(broker, round));
                byVariant.get(1).add(trainer(broker, round, "exactly_once_v2", "(c) trainer, exactly-once"));
                byVariant.get(2).add(trainer(broker, round, "at_least_once", "(d) trainer, at-least-once"));
            }
        }
        List<Result> medians = new ArrayList<>();
        for (List<Result> results : byVariant) {
            results.sort(java.util.Comparator.comparingDouble(Result::eventsPerSecond));
            medians.add(results.get(results.size() / 2));
        }
        return medians;
    }

    private Result passThrough(EmbeddedKafkaBroker broker, int round) throws Exception {
        TrainerConfig config = config(broker, "pass" + round, "exactly_once_v2");
        produce(broker, config);
        Properties properties = TrainerTopology.streamsProperties(config);
        KafkaStreams streams = new KafkaStreams(PassThroughTopology.build(config.eventsTopic(), config.predictionsTopic()),
                properties);
        return measure("(b) pass-through topology (parse + forward), exactly-once", broker, config, streams::start,
                streams::state, streams::metrics, () -> streams.close());
    }

    private Result trainer(EmbeddedKafkaBroker broker, int round, String guarantee, String name) throws Exception {
        TrainerConfig config = config(broker, (guarantee.startsWith("exactly") ? "eos" : "alos") + round, guarantee);
        produce(broker, config);
        TrainerApplication[] app = new TrainerApplication[1];
        return measure(name, broker, config,
                () -> app[0] = TrainerApplication.start(config,
                        List.of(new ModelDefinition(dataset.schema(), learner)), new SimpleMeterRegistry()),
                () -> app[0].state(), () -> app[0].metrics(), () -> app[0].close());
    }

    private Result measure(String name, EmbeddedKafkaBroker broker, TrainerConfig config, Runnable start,
            Supplier<KafkaStreams.State> state, Supplier<Map<MetricName, ? extends Metric>> metrics, Runnable stop)
            throws Exception {
        long heapBefore = usedHeapAfterGc();
        // Completion is every output record visible to a read_committed consumer: committed offsets would lag by the
        // commit interval (30 s under at-least-once) and measure the interval, not the work.
        try (CommittedRecordCounter outputs = new CommittedRecordCounter(broker.bootstrapServers(),
                config.predictionsTopic())) {
            start.run();
            while (state.get() != KafkaStreams.State.RUNNING) {
                Thread.sleep(5);
            }
            long cpuBefore = streamThreadCpuNanos(config.applicationId());
            long begin = System.nanoTime();
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (outputs.count() < dataset.rows().size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": only " + outputs.count() + " of "
                            + dataset.rows().size() + " outputs after 5 minutes");
                }
                Thread.sleep(10);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            long cpu = streamThreadCpuNanos(config.applicationId()) - cpuBefore;
            String threadTime = threadTime(metrics.get());
            long heap = usedHeapAfterGc() - heapBefore;
            stop.run();
            return new Result(name, dataset.rows().size(), seconds, heap, threadTime, cpu);
        }
    }

    /**
     * Where the stream thread spent its time (Kafka Streams' own thread metrics): poll / process / commit /
     * punctuate, in %.
     */
    private static String threadTime(Map<MetricName, ? extends Metric> metrics) {
        StringBuilder ratios = new StringBuilder();
        for (String ratio : List.of("poll-ratio", "process-ratio", "commit-ratio", "punctuate-ratio")) {
            double value = metrics.entrySet().stream()
                    .filter(m -> m.getKey().group().equals("stream-thread-metrics") && m.getKey().name().equals(ratio))
                    .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).sum();
            ratios.append(ratios.length() == 0 ? "" : " / ").append(Math.round(value * 100));
        }
        return ratios.toString();
    }

    /** CPU time so far of the application's stream threads (named {@code <application.id>-<uuid>-StreamThread-n}). */
    static long streamThreadCpuNanos(String applicationId) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(applicationId + "-")
                    && info.getThreadName().contains("-StreamThread-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private void produce(EmbeddedKafkaBroker broker, TrainerConfig config) throws InterruptedException {
        TrainerTopics.createMissing(config, 1, (short) 1);
        try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                config.eventsTopic(), config.labelsTopic(), dataset.schema().model(), 0, 0))) {
            replayer.replay(dataset, () -> 1_700_000_000_000L);
        }
    }

    private TrainerConfig config(EmbeddedKafkaBroker broker, String prefix, String guarantee) throws Exception {
        Path state = BenchDirectories.create("bench-" + prefix);
        Map<String, String> values = new java.util.HashMap<>(settings);
        values.putAll(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "bench-" + prefix,
                "processing.guarantee", guarantee,
                "topic.events", prefix + ".events",
                "topic.labels", prefix + ".labels",
                "topic.predictions", prefix + ".predictions",
                "topic.dlq", prefix + ".dlq",
                "topic.models", prefix + ".models",
                "kafka." + StreamsConfig.STATE_DIR_CONFIG, state.toString()));
        return TrainerConfig.of(values);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Dataset repeat(Dataset dataset, int times) {
        List<LabeledRow> rows = new ArrayList<>(dataset.rows().size() * times);
        for (int i = 0; i < times; i++) {
            rows.addAll(dataset.rows());
        }
        return new Dataset(dataset.schema(), rows);
    }

    public int repeats() {
        return repeats;
    }
}
