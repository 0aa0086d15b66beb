package io.streamlearn.tools.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The soak (issue #7): trainer and prediction server in this process on an embedded broker under steady load — events
 * produced at a fixed rate, HTTP clients predicting without pause — while heap (after a full GC), live threads, Vert.x
 * event-loop threads and registered Kafka clients are sampled. A leak shows as a growing heap trend in the second half
 * of the run (the first half holds the warm-up and the model's own growth) or as threads or clients that keep
 * appearing.
 */
public final class SoakRun {

    /**
     * @param seconds       length of the run
     * @param rate          events per second
     * @param clients       HTTP client threads
     * @param sampleSeconds time between two samples
     */
    public record Options(int seconds, double rate, int clients, int sampleSeconds) {
    }

    /**
     * One sample: seconds since start, heap used after GC, live threads (bounded on-demand pools left out), Vert.x
     * event-loop threads, Kafka clients.
     */
    public record Sample(double atSeconds, long heapBytes, int threads, int vertxThreads, int kafkaClients,
            long eventsSent, long requests) {
    }

    /**
     * @param failedRequests     answers other than 200 once the first model was served
     * @param heapSlopeMbPerMin  least-squares slope of heap after GC over the second half of the samples
     */
    public record Result(List<Sample> samples, long requests, long failedRequests, long eventsSent,
            double heapSlopeMbPerMin, int threadSpread, int kafkaClientSpread) {
    }

    private final Dataset dataset;
    private final String learner;
    private final Options options;
    private final EventCodec codec = new EventCodec();

    public SoakRun(Dataset dataset, String learner, Options options) {
        this.dataset = dataset;
        this.learner = learner;
        this.options = options;
    }

    public Result run(Path stateDir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            TrainerConfig config = TrainerConfig.of(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "application.id", "streamlearn-soak", "snapshot.interval.ms", "1000",
                    "kafka.state.dir", Files.createDirectories(stateDir).toString()));
            TrainerTopics.createMissing(config, 1, (short) 1);
            ServingConfig serving = ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                    .withBootstrapServers(broker.bootstrapServers());
            try (TrainerApplication trainer = TrainerApplication.start(config,
                    List.of(new ModelDefinition(dataset.schema(), learner)), new SimpleMeterRegistry());
                    PredictionServer server = PredictionServer.start(serving,
                            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                return soak(broker, config, trainer, server);
            }
        }
    }

    private Result soak(EmbeddedKafkaBroker broker, TrainerConfig config, TrainerApplication trainer,
            PredictionServer server) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Thread> load = new ArrayList<>();
        load.add(started("soak-producer", () ->
                produce(broker.bootstrapServers(), config.eventsTopic(), running, sent)));
        while (trainer.state() != KafkaStreams.State.RUNNING || server.models().isEmpty()) {
            Thread.sleep(50);
        }
        String model = dataset.schema().model();
        for (int i = 0; i < options.clients(); i++) {
            load.add(started("soak-client-" + i, () -> predict(server.port(), model, running, requests, failed)));
        }
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(options.seconds());
        try {
            while (System.nanoTime() < end) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(options.sampleSeconds()));
                samples.add(sample((System.nanoTime() - start) / 1e9, sent.get(), requests.get()));
            }
        } finally {
            running.set(false);
            for (Thread thread : load) {
                thread.join(Duration.ofSeconds(30).toMillis());
            }
        }
        List<Sample> secondHalf = samples.subList(samples.size() / 2, samples.size());
        return new Result(samples, requests.get(), failed.get(), sent.get(), heapSlope(secondHalf),
                spread(secondHalf.stream().mapToInt(Sample::threads).toArray()),
                spread(secondHalf.stream().mapToInt(Sample::kafkaClients).toArray()));
    }

    private static Thread started(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.start();
        return thread;
    }

    private void produce(String bootstrapServers, String topic, AtomicBoolean running, AtomicLong sent) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        String model = dataset.schema().model();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (long i = 0; running.get(); i++) {
                long wait = start + (long) (i * 1e9 / options.rate()) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                LabeledRow row = dataset.rows().get((int) (i % dataset.rows().size()));
                producer.send(new ProducerRecord<>(topic, model,
                        codec.encodeEvent("soak-" + i, System.currentTimeMillis(), model, row)));
                sent.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void predict(int port, String model, AtomicBoolean running, AtomicLong requests, AtomicLong failed) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = "{\"features\": " + codec.json().valueToTree(dataset.rows().get(0).features()) + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models/" + model
                        + "/predict"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        while (running.get()) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    failed.incrementAndGet();
                }
            } catch (java.io.IOException e) {
                failed.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            requests.incrementAndGet();
        }
    }

    private static Sample sample(double atSeconds, long eventsSent, long requests) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        // Pools that grow on demand up to a fixed size (the load generator's HTTP client, Vert.x's worker pools)
        // would read as growth early on; they are bounded, so they are left out of the count.
        List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
        int threads = (int) names.stream().filter(name -> !name.startsWith("HttpClient-")
                && !name.startsWith("vert.x-worker-thread") && !name.startsWith("vert.x-internal-blocking")).count();
        int vertx = (int) names.stream().filter(name -> name.startsWith("vert.x-eventloop")).count();
        return new Sample(atSeconds, heap, threads, vertx, kafkaClients(), eventsSent, requests);
    }

    /** Every Kafka client registers an {@code app-info} MBean for its life: a leaked client keeps its own. */
    private static int kafkaClients() {
        int clients = 0;
        for (String domain : new String[] {"kafka.consumer", "kafka.producer", "kafka.admin.client"}) {
            try {
                clients += ManagementFactory.getPlatformMBeanServer()
                        .queryNames(new ObjectName(domain + ":type=app-info,*"), null).size();
            } catch (MalformedObjectNameException e) {
                throw new IllegalStateException(e);
            }
        }
        return clients;
    }

    static double heapSlope(List<Sample> samples) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double meanX = samples.stream().mapToDouble(Sample::atSeconds).average().orElse(0);
        double meanY = samples.stream().mapToDouble(Sample::heapBytes).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (Sample sample : samples) {
            covariance += (sample.atSeconds() - meanX) * (sample.heapBytes() - meanY);
            variance += (sample.atSeconds() - meanX) * (sample.atSeconds() - meanX);
        }
        return variance == 0 ? 0 : covariance / variance * 60 / (1024.0 * 1024);
    }

    private static int spread(int[] values) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return values.length == 0 ? 0 : max - min;
    }
}
