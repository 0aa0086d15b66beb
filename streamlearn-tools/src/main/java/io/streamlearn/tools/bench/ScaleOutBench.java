package io.streamlearn.tools.bench;

import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.GeneratedArff;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.kafka.CommittedRecordCounter;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.streamlearn.runtime.kafka.ChunkedRecords;
import io.streamlearn.runtime.kafka.FollowerSettings;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scale-out figures of the trainer as separate JVMs ({@code streamlearn train --defined-models-only}, one Kafka
 * Streams application) on one embedded broker: aggregate events/s of 1, 2 and 3 instances on a backlog of many models
 * over many partitions, and the time from SIGKILL of one instance to its models' predictions resuming elsewhere, with
 * and without standby replicas. Each instance is its own process, as in a deployment; on one machine they share its
 * cores, which is what caps the aggregate here.
 */
public final class ScaleOutBench {

    /** One throughput run. */
    public record Throughput(int instances, long events, double secondsFromStart, double secondsOfWork) {
        /** From the first committed prediction to the last: JVM start and the first rebalance left out. */
        public double eventsPerSecond() {
            return events / secondsOfWork;
        }
    }

    /** One failover run: per model of the killed instance, the time from SIGKILL to its next committed prediction. */
    public record Failover(int standbys, int modelsMoved, double medianSeconds, double maxSeconds,
            long sessionTimeoutMs) {
    }

    /**
     * One isolation run: a light model's backlog learned alone or beside a heavy model's on another partition, by one
     * instance with {@code threads} stream threads; the seconds are from the trainer's start to each model's last
     * committed prediction (the JVM's start included, the same in every run).
     */
    public record Isolation(String setting, int threads, long lightEvents, double lightSeconds, long heavyEvents,
            double heavySeconds) {
    }

    private final EmbeddedKafkaBroker broker;
    private final Map<String, Dataset> data;
    private final String learner;
    private final String generator;
    private final int partitions;
    private final Path work;
    private final TrainerJvms jvms;
    private final EventCodec codec = new EventCodec();
    private int runs;

    /**
     * @param models how many models, each with its own seeded stream of {@code generator} ({@code -r}/{@code -i}
     *               seeds set per model)
     */
    public ScaleOutBench(EmbeddedKafkaBroker broker, int models, int eventsPerModel, String generator, String learner,
            int partitions) throws IOException {
        this.broker = broker;
        this.learner = learner;
        this.generator = generator;
        this.partitions = partitions;
        this.work = BenchDirectories.create("bench-scale");
        this.jvms = new TrainerJvms(broker.bootstrapServers(), work);
        this.data = new HashMap<>();
        for (int m = 0; m < models; m++) {
            String name = "m" + m;
            Path file = work.resolve(name + ".arff");
            GeneratedArff.write(generator + " -r " + (m + 1) + " -i " + (m + 1), eventsPerModel, file);
            data.put(name, Dataset.read(file, name, null));
        }
    }

    public long events() {
        return data.values().stream().mapToLong(dataset -> dataset.rows().size()).sum();
    }

    /** {@code instances} trainer JVMs on a backlog of every model's events. */
    public Throughput throughput(int instances) throws Exception {
        TrainerConfig config = prepare("throughput" + instances);
        produceAll(config);
        List<Process> trainers = new ArrayList<>();
        try (CommittedRecordCounter predictions = new CommittedRecordCounter(broker.bootstrapServers(),
                config.predictionsTopic())) {
            long start = System.nanoTime();
            for (int i = 0; i < instances; i++) {
                trainers.add(jvms.start(config, i, 0, 45_000));
            }
            long first = 0;
            long deadline = start + Duration.ofMinutes(10).toNanos();
            while (predictions.count() < events()) {
                if (first == 0 && predictions.count() > 0) {
                    first = System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + predictions.count() + " of " + events()
                            + " predictions after 10 minutes");
                }
                Thread.sleep(5);
            }
            long end = System.nanoTime();
            return new Throughput(instances, events(), (end - start) / 1e9, (end - first) / 1e9);
        } finally {
            TrainerJvms.stop(trainers);
        }
    }

    /**
     * Three trainer JVMs learn a steady stream ({@code rate} events/s over all models); after {@code warmUp} one is
     * killed with SIGKILL. The models it held are those whose predictions stop; each one's failover time is from the
     * kill to its next prediction a {@code read_committed} consumer receives.
     */
    public Failover failover(int standbys, double rate, Duration warmUp, long sessionTimeoutMs) throws Exception {
        TrainerConfig config = prepare("failover" + standbys);
        Map<String, Long> lastSeen = new ConcurrentHashMap<>();
        Map<String, Long> firstAfterKill = new ConcurrentHashMap<>();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watch(config.predictionsTopic(), running, (model, now) -> {
            lastSeen.put(model, now);
            if (now > killedAt.get()) {
                firstAfterKill.putIfAbsent(model, now);
            }
        }), "bench-failover-watcher");
        Thread producer = new Thread(() -> produceSteadily(config, rate, running), "bench-failover-producer");
        List<Process> trainers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                trainers.add(jvms.start(config, i, standbys, sessionTimeoutMs));
            }
            watcher.start();
            producer.start();
            Thread.sleep(warmUp.toMillis());
            Map<String, Long> before = Map.copyOf(lastSeen);
            int victimIndex = jvms.busiest(config, trainers.size());
            Process victim = trainers.get(victimIndex);
            killedAt.set(System.nanoTime());
            victim.destroyForcibly().waitFor();
            // Long enough for the group to notice (session timeout), rebalance and restore.
            Thread.sleep(sessionTimeoutMs + 30_000);
            running.set(false);
            producer.join();
            watcher.join();
            long kill = killedAt.get();
            List<Double> gaps = new ArrayList<>();
            for (String model : before.keySet()) {
                Long resumed = firstAfterKill.get(model);
                double gap = resumed == null ? Double.POSITIVE_INFINITY : (resumed - kill) / 1e9;
                // Models of the surviving instances go on within a fraction of a second (the commit interval).
                if (gap > 2.0) {
                    gaps.add(gap);
                }
            }
            Collections.sort(gaps);
            if (gaps.isEmpty()) {
                return new Failover(standbys, 0, Double.NaN, Double.NaN, sessionTimeoutMs);
            }
            return new Failover(standbys, gaps.size(), gaps.get(gaps.size() / 2), gaps.get(gaps.size() - 1),
                    sessionTimeoutMs);
        } finally {
            running.set(false);
            TrainerJvms.stop(trainers);
        }
    }

    /**
     * A light model (a Hoeffding tree on one of this bench's streams) and, unless {@code heavyLearner} is null, a heavy
     * one ({@code heavyLearner} on {@code heavyGenerator}) on another partition, both with a backlog, learned by one
     * trainer JVM with {@code threads} stream threads. Kafka Streams runs a thread's tasks one after another, so a
     * slow task delays the others of its thread, not those of other threads or instances.
     */
    public Isolation isolation(String setting, int threads, String heavyLearner, String heavyGenerator,
            int heavyEvents) throws Exception {
        String lightGenerator = generator;
        Path lightFile = work.resolve("light-" + (runs + 1) + ".arff");
        GeneratedArff.write(lightGenerator + " -r 101 -i 101", heavyEvents, lightFile);
        Dataset light = Dataset.read(lightFile, "light", null);
        String heavyName = "heavy";
        String lightName = null;
        for (int i = 0; lightName == null; i++) {
            if (ChunkedRecords.partition("light" + i, partitions) != ChunkedRecords.partition(heavyName, partitions)) {
                lightName = "light" + i;
            }
        }
        Map<String, Dataset> models = new HashMap<>();
        Map<String, String> learners = new HashMap<>();
        models.put(lightName, new Dataset(light.schema().withModel(lightName), light.rows()));
        learners.put(lightName, learner);
        if (heavyLearner != null) {
            Path file = work.resolve("heavy-" + (runs + 1) + ".arff");
            GeneratedArff.write(heavyGenerator, heavyEvents, file);
            models.put(heavyName, Dataset.read(file, heavyName, null));
            learners.put(heavyName, heavyLearner);
        }
        TrainerConfig config = prepare("isolation", models, learners);
        produce(config, models);
        Map<String, Long> last = new ConcurrentHashMap<>();
        Map<String, Long> counts = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> watch(config.predictionsTopic(), running, (model, now) -> {
            last.put(model, now);
            counts.merge(model, 1L, Long::sum);
        }), "bench-isolation-watcher");
        watcher.start();
        List<Process> trainers = new ArrayList<>();
        long start = System.nanoTime();
        try {
            trainers.add(jvms.start(config, 0, 0, 45_000, Map.of("kafka.num.stream.threads",
                    Integer.toString(threads))));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            for (Map.Entry<String, Dataset> model : models.entrySet()) {
                while (counts.getOrDefault(model.getKey(), 0L) < model.getValue().rows().size()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("isolation run did not finish in 10 minutes: " + counts);
                    }
                    Thread.sleep(5);
                }
            }
        } finally {
            running.set(false);
            watcher.join();
            TrainerJvms.stop(trainers);
        }
        double lightSeconds = (last.get(lightName) - start) / 1e9;
        double heavySeconds = heavyLearner == null ? Double.NaN : (last.get(heavyName) - start) / 1e9;
        return new Isolation(setting, threads, light.rows().size(), lightSeconds,
                heavyLearner == null ? 0 : models.get(heavyName).rows().size(), heavySeconds);
    }

    private TrainerConfig prepare(String name) throws Exception {
        Map<String, String> learners = new HashMap<>();
        data.keySet().forEach(model -> learners.put(model, learner));
        return prepare(name, data, learners);
    }

    private TrainerConfig prepare(String name, Map<String, Dataset> models, Map<String, String> learners)
            throws Exception {
        String prefix = "scale-" + name + "-" + (++runs);
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("application.id", prefix);
        for (String topic : List.of("events", "labels", "predictions", "dlq", "models", "definitions")) {
            settings.put("topic." + topic, prefix + "." + topic);
        }
        settings.put("snapshot.interval.ms", "5000");
        TrainerConfig config = TrainerConfig.of(settings);
        TrainerTopics.createMissing(config, partitions, (short) 1);
        try (DefinitionWriter writer = new DefinitionWriter(new FollowerSettings(broker.bootstrapServers(),
                Map.of()), config.definitionsTopic(), 1, (short) 1, Duration.ofSeconds(30))) {
            for (Dataset dataset : models.values()) {
                writer.create(new ModelDefinition(dataset.schema(), learners.get(dataset.schema().model())));
            }
        }
        return config;
    }

    private void produceAll(TrainerConfig config) {
        produce(config, data);
    }

    /** Every model's events, interleaved one row of each model at a time, labels inline. */
    private void produce(TrainerConfig config, Map<String, Dataset> data) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<String> names = new ArrayList<>(data.keySet());
            Collections.sort(names);
            int longest = data.values().stream().mapToInt(dataset -> dataset.rows().size()).max().orElse(0);
            for (int row = 0; row < longest; row++) {
                for (String name : names) {
                    List<LabeledRow> rows = data.get(name).rows();
                    if (row < rows.size()) {
                        producer.send(new ProducerRecord<>(config.eventsTopic(), name,
                                codec.encodeEvent(name + "-" + row, 1_700_000_000_000L + row, name, rows.get(row))));
                    }
                }
            }
        }
    }

    /** Round-robin over the models at {@code rate} events/s, cycling through each model's rows, until stopped. */
    private void produceSteadily(TrainerConfig config, double rate, AtomicBoolean running) {
        List<String> names = new ArrayList<>(data.keySet());
        Collections.sort(names);
        long sent = 0;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            while (running.get()) {
                String name = names.get((int) (sent % names.size()));
                List<LabeledRow> rows = data.get(name).rows();
                int row = (int) ((sent / names.size()) % rows.size());
                producer.send(new ProducerRecord<>(config.eventsTopic(), name,
                        codec.encodeEvent(name + "-" + sent, 1_700_000_000_000L + sent, name, rows.get(row))));
                sent++;
                long due = start + (long) (sent / rate * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands each committed prediction's model and arrival time ({@link System#nanoTime}) to {@code seen}. */
    private void watch(String topic, AtomicBoolean running, BiConsumer<String, Long> seen) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                all.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    seen.accept(record.key(), System.nanoTime());
                }
            }
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
}
