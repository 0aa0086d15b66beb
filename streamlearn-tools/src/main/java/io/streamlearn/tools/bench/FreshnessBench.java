package io.streamlearn.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Freshness: how long after an event enters {@code events} a prediction is served over HTTP by a model version that
 * learned from it. Trainer and prediction server run in this process on one embedded broker, as in the demo. A
 * producer sends events at a steady rate and notes, for every {@code sampleEvery}-th event, the time just before the
 * send and the offset the broker gave it. A probe asks the server for a prediction every {@code probeMs} over HTTP;
 * when an answer names a new version, that version's {@code inputOffsets} (the next {@code events} offset it does not
 * reflect) say which events it learned. An event's freshness is the time of the first answer from a version covering
 * its offset minus its send time, so it includes the producer, the trainer's wait for its next snapshot punctuation,
 * the transaction commit that makes the snapshot visible, the server's follower and the snapshot's decoding, and is
 * late by at most one probe period.
 */
public final class FreshnessBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param rate         events per second
     * @param warmupSeconds seconds of events before the measured ones (trainer start-up, first snapshots, JIT)
     * @param seconds      seconds of measured events
     * @param sampleEvery  one event in this many is a sample
     * @param probeMs      time between two HTTP predictions of the probe
     */
    public record Options(double rate, int warmupSeconds, int seconds, int sampleEvery, long probeMs) {
    }

    /**
     * One trainer setting's freshness, in milliseconds.
     *
     * @param snapshots     snapshots the trainer published during the run
     * @param snapshotBytes their total size
     * @param uncovered     samples that no served version covered within the wait after the last event
     */
    public record Result(long snapshotIntervalMs, String commitIntervalMs, int samples, double p50Ms, double p95Ms,
            double p99Ms, double maxMs, double runSeconds, long snapshots, long snapshotBytes, int uncovered) {

        public double snapshotsPerSecond() {
            return snapshots / runSeconds;
        }

        public double meanSnapshotBytes() {
            return snapshots == 0 ? 0 : (double) snapshotBytes / snapshots;
        }
    }

    /** A sampled event: its offset in {@code events} and when it was sent. */
    record Sample(long offset, long sentNanos) {
    }

    /** A prediction by {@code version} was received at {@code nanos}; it covers every {@code events} offset below {@code next}. */
    record Coverage(long nanos, long version, long next) {
    }

    private final Dataset dataset;
    private final String learner;
    private final Map<String, String> settings;
    private final Options options;
    private final EventCodec codec = new EventCodec();

    /** @param settings trainer settings for every run, e.g. {@code kafka.commit.interval.ms} */
    public FreshnessBench(Dataset dataset, String learner, Map<String, String> settings, Options options) {
        this.dataset = dataset;
        this.learner = learner;
        this.settings = Map.copyOf(settings);
        this.options = options;
    }

    /** Runs the trainer with each snapshot interval in turn on one broker, fresh topics each time. */
    public List<Result> run(List<Long> snapshotIntervalsMs) throws Exception {
        List<Result> results = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            for (int i = 0; i < snapshotIntervalsMs.size(); i++) {
                results.add(run(broker, "fresh" + i, snapshotIntervalsMs.get(i)));
            }
        }
        return results;
    }

    private Result run(EmbeddedKafkaBroker broker, String prefix, long snapshotIntervalMs) throws Exception {
        TrainerConfig config = config(broker, prefix, snapshotIntervalMs);
        TrainerTopics.createMissing(config, 1, (short) 1);
        SimpleMeterRegistry trainerMeters = new SimpleMeterRegistry();
        String model = dataset.schema().model();
        try (TrainerApplication trainer = TrainerApplication.start(config,
                List.of(new ModelDefinition(dataset.schema(), learner)), trainerMeters);
                PredictionServer server = PredictionServer.start(serving(broker, prefix),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            while (trainer.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(10);
            }
            Probe probe = new Probe(server, model, config.eventsTopic() + "-0");
            Thread probeThread = new Thread(probe, "freshness-probe");
            probeThread.start();
            long started = System.nanoTime();
            List<Sample> samples;
            try {
                samples = produce(broker.bootstrapServers(), config.eventsTopic(), model);
                awaitCoverage(probe, samples.get(samples.size() - 1).offset(), snapshotIntervalMs);
            } finally {
                probe.stop();
                probeThread.join();
            }
            double runSeconds = (System.nanoTime() - started) / 1e9;
            return result(snapshotIntervalMs, config, samples, probe.coverage(), runSeconds,
                    counter(trainerMeters, "streamlearn.train.snapshots"),
                    counter(trainerMeters, "streamlearn.train.snapshot.bytes"));
        }
    }

    /** Sends events at the configured rate; returns the samples sent after the warm-up, with their offsets. */
    private List<Sample> produce(String bootstrapServers, String topic, String model) throws Exception {
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        long total = (long) (options.rate() * (options.warmupSeconds() + options.seconds()));
        long firstMeasured = (long) (options.rate() * options.warmupSeconds());
        try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers)) {
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                pace(start, i);
                LabeledRow row = dataset.rows().get((int) (i % dataset.rows().size()));
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, model,
                        codec.encodeEvent("fresh-" + i, System.currentTimeMillis(), model, row));
                if (i >= firstMeasured && i % options.sampleEvery() == 0) {
                    long sent = System.nanoTime();
                    producer.send(record, (metadata, error) -> {
                        if (error == null) {
                            samples.add(new Sample(metadata.offset(), sent));
                        }
                    });
                } else {
                    producer.send(record);
                }
            }
            producer.flush();
        }
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort(java.util.Comparator.comparingLong(Sample::offset));
        if (sorted.isEmpty()) {
            throw new IllegalStateException("no sampled event was acknowledged by the broker");
        }
        return sorted;
    }

    private void pace(long startNanos, long event) throws InterruptedException {
        long wait = startNanos + (long) (event * 1e9 / options.rate()) - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private static void awaitCoverage(Probe probe, long lastOffset, long snapshotIntervalMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * snapshotIntervalMs + 10_000);
        while (probe.covered() <= lastOffset && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static Result result(long snapshotIntervalMs, TrainerConfig config, List<Sample> samples,
            List<Coverage> coverage, double runSeconds, long snapshots, long snapshotBytes) {
        List<Double> latencies = latenciesMs(samples, coverage);
        latencies.sort(null);
        String commit = config.kafkaProperties().getOrDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                config.processingGuarantee().startsWith("exactly") ? "100 (default)" : "30000 (default)");
        return new Result(snapshotIntervalMs, commit, latencies.size(), percentile(latencies, 0.50),
                percentile(latencies, 0.95), percentile(latencies, 0.99), percentile(latencies, 1.0), runSeconds,
                snapshots, snapshotBytes, samples.size() - latencies.size());
    }

    /**
     * Each sample's freshness in milliseconds, in offset order: from its send to the first prediction received from a
     * version covering its offset. Samples no version covered are left out.
     *
     * @param samples  by offset
     * @param coverage in the order the probe saw the versions (time and covered offsets both ascending)
     */
    static List<Double> latenciesMs(List<Sample> samples, List<Coverage> coverage) {
        List<Double> latencies = new ArrayList<>(samples.size());
        int next = 0;
        for (Sample sample : samples) {
            while (next < coverage.size() && coverage.get(next).next() <= sample.offset()) {
                next++;
            }
            if (next < coverage.size()) {
                latencies.add((coverage.get(next).nanos() - sample.sentNanos()) / 1e6);
            }
        }
        return latencies;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }

    private static long counter(SimpleMeterRegistry registry, String name) {
        return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private TrainerConfig config(EmbeddedKafkaBroker broker, String prefix, long snapshotIntervalMs)
            throws IOException {
        Path state = BenchDirectories.create("bench-" + prefix);
        Map<String, String> values = new HashMap<>(settings);
        values.putAll(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "bench-" + prefix,
                "snapshot.interval.ms", Long.toString(snapshotIntervalMs),
                "topic.events", prefix + ".events",
                "topic.labels", prefix + ".labels",
                "topic.predictions", prefix + ".predictions",
                "topic.dlq", prefix + ".dlq",
                "topic.models", prefix + ".models",
                "kafka." + StreamsConfig.STATE_DIR_CONFIG, state.toString()));
        return TrainerConfig.of(values).validate();
    }

    private static ServingConfig serving(EmbeddedKafkaBroker broker, String prefix) {
        return ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withBootstrapServers(broker.bootstrapServers()).withModelsTopic(prefix + ".models")
                .withPinsTopic(prefix + ".pins").withPredictionsTopic(prefix + ".predictions")
                .withLabelsTopic(prefix + ".labels").withLogSampleRate(0);
    }

    /** A producer that sends each event at once (no linger), so the send time is when the event leaves for the broker. */
    private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /** Asks the server for a prediction every probe period and notes each new version it answers with. */
    private final class Probe implements Runnable {

        private final PredictionServer server;
        private final String model;
        private final String partition;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final List<Coverage> coverage = new ArrayList<>();
        private volatile boolean running = true;
        private volatile long covered = -1;

        Probe(PredictionServer server, String model, String partition) {
            this.server = server;
            this.model = model;
            this.partition = partition;
        }

        @Override
        public void run() {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/v1/models/" + model + "/predict"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body())).build();
            long lastVersion = 0;
            while (running) {
                long asked = System.nanoTime();
                long version = servedVersion(request);
                if (version > lastVersion) {
                    lastVersion = version;
                    note(System.nanoTime(), version);
                }
                long wait = asked + TimeUnit.MILLISECONDS.toNanos(options.probeMs()) - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }

        /** The version that answered a prediction, 0 while the server has none (404). */
        private long servedVersion(HttpRequest request) {
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    return 0;
                }
                JsonNode answer = JSON.readTree(response.body());
                return answer.path("version").asLong();
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                return 0;
            }
        }

        /**
         * Reads what {@code version} learned from the server's registry (the same {@code metadata} as
         * {@code GET /v1/models/{name}} shows). {@code receivedNanos} is when the probe had the prediction, at most one
         * probe period and one request after the version could first have answered.
         */
        private void note(long receivedNanos, long version) {
            server.models().find(model, version).map(ServedModel::metadata).ifPresent(metadata -> {
                long next = metadata.inputOffsets().getOrDefault(partition, 0L);
                synchronized (coverage) {
                    coverage.add(new Coverage(receivedNanos, version, next));
                }
                covered = Math.max(covered, next - 1);
            });
        }

        private String body() {
            return JSON.createObjectNode().set("features", JSON.valueToTree(dataset.rows().get(0).features()))
                    .toString();
        }

        long covered() {
            return covered;
        }

        List<Coverage> coverage() {
            synchronized (coverage) {
                return List.copyOf(coverage);
            }
        }

        void stop() {
            running = false;
        }
    }
}
