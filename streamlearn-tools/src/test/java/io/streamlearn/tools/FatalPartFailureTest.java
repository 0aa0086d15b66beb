package io.streamlearn.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.cli.StreamlearnCommand;
import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.health.PartFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Never die silently (issue 13): a Kafka Streams client of a real process (the {@code train} and {@code monitor}
 * commands in their own JVMs, the demo in this one) fails the way it did on real data, on a record larger than its
 * producer allows; the process then answers {@code /health/live} with 503 and the reason, counts the failure on
 * {@code /metrics}, logs it once, and the demo exits non-zero within seconds with the cause on stderr.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class FatalPartFailureTest {

    /**
     * The failure seen on real data: a record larger than the producer's whole {@code buffer.memory}. With 1 KiB (and
     * batches no larger), events and predictions still pass, and the first model state a Kafka Streams client writes
     * (the trainer's checkpoint or snapshot, the drift monitor's journal page) fails, deterministically. Its
     * {@code max.request.size} stays at Kafka's default, which the trainer's configuration checks.
     */
    private static final List<String> RECORDS_OVER_THE_BUFFER = List.of("--set", "kafka.producer.buffer.memory=1024",
            "--set", "kafka.producer.batch.size=1024");
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(FatalPartFailureTest.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static EmbeddedKafkaBroker broker;
    private static Dataset events;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadFixtures() throws IOException {
        events = Dataset.read(BundledDatasets.electricityArff(), "electricity", null).limit(200);
    }

    @Test
    void aTrainerWhoseStreamsClientDiesAnswersLive503WithTheReasonAndCountsTheFailure() throws Exception {
        String prefix = "dying-train";
        List<String> topics = topics(prefix, "events", "labels", "predictions", "dlq", "models");
        int port = freePort();
        Process train = startJvm(prefix, List.of("train", "--port", Integer.toString(port), "--learner",
                "trees.HoeffdingTree", "--data", BundledDatasets.electricityArff().toString(), "--model", "electricity",
                "--set", "application.id=" + prefix, "--set", "topic.events=" + topics.get(0),
                "--set", "topic.labels=" + topics.get(1), "--set", "topic.predictions=" + topics.get(2),
                "--set", "topic.dlq=" + topics.get(3), "--set", "topic.models=" + topics.get(4),
                "--set", "kafka.state.dir=" + temp.resolve("state")), RECORDS_OVER_THE_BUFFER);
        try {
            replay(topics.get(0), topics.get(1));
            String base = "http://localhost:" + port;

            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> status(base + "/health/live") == 503);

            JsonNode live = JSON.readTree(get(base + "/health/live").body());
            assertThat(live.get("status").asText()).isEqualTo("DOWN");
            assertThat(live.get("reason").asText()).contains("the trainer's Kafka Streams client stopped",
                    "RecordTooLargeException", "buffer.memory");
            HttpResponse<String> ready = get(base + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(ready.body()).get("reason").asText()).isEqualTo(live.get("reason").asText());
            String metrics = get(base + "/metrics").body();
            assertThat(metrics).contains(
                    "streamlearn_service_failures_total{part=\"trainer\"} 1.0",
                    "streamlearn_service_alive{part=\"trainer\"} 0.0",
                    "streamlearn_service_alive{part=\"model-follower\"} 1.0");
            LOG.info("Kafka Streams' own client meters of the dead trainer: {}", metrics.lines()
                    .filter(line -> line.startsWith("kafka_stream_alive") || line.startsWith("kafka_stream_client"))
                    .toList());
        } finally {
            stop(train);
        }
        assertThat(occurrences(Files.readString(temp.resolve(prefix + ".log")), "Part 'trainer' failed"))
                .as("the failure is logged once").isEqualTo(1);
    }

    @Test
    void aDriftMonitorWhoseStreamsClientDiesAnswersLive503WithTheReason() throws Exception {
        String prefix = "dying-monitor";
        List<String> topics = topics(prefix, "events", "labels", "predictions", "models", "references", "alerts",
                "requests");
        int port = freePort();
        Process monitor = startJvm(prefix, List.of("monitor", "--port", Integer.toString(port),
                "--set", "drift.application.id=" + prefix,
                "--set", "topic.events=" + topics.get(0), "--set", "topic.labels=" + topics.get(1),
                "--set", "topic.predictions=" + topics.get(2), "--set", "topic.models=" + topics.get(3),
                "--set", "topic.drift.references=" + topics.get(4), "--set", "topic.drift.alerts=" + topics.get(5),
                "--set", "topic.retrain.requests=" + topics.get(6),
                "--set", "kafka.state.dir=" + temp.resolve("state")), RECORDS_OVER_THE_BUFFER);
        try {
            replay(topics.get(0), topics.get(1));
            String base = "http://localhost:" + port;

            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> status(base + "/health/live") == 503);

            JsonNode live = JSON.readTree(get(base + "/health/live").body());
            assertThat(live.get("status").asText()).isEqualTo("DOWN");
            assertThat(live.get("reason").asText()).contains("the drift-monitor's Kafka Streams client stopped",
                    "RecordTooLargeException");
            assertThat(status(base + "/health/ready")).isEqualTo(503);
            assertThat(get(base + "/metrics").body()).contains(
                    "streamlearn_service_failures_total{part=\"drift-monitor\"} 1.0",
                    "streamlearn_service_alive{part=\"drift-monitor\"} 0.0");
        } finally {
            stop(monitor);
        }
    }

    /**
     * Without {@code --exit} a demo whose trainer is dead would otherwise report the same progress forever; it stops
     * within seconds of the failure, says why on stderr, and exits 1.
     */
    @Test
    void aDemoWhoseTrainerDiesExitsNonZeroWithinSecondsWithTheCauseOnStderr() throws Exception {
        ListAppender<ILoggingEvent> failures = new ListAppender<>();
        Logger partLog = (Logger) LoggerFactory.getLogger(PartFailure.class);
        failures.start();
        partLog.addAppender(failures);
        AtomicLong firstErrorAt = new AtomicLong();
        StringWriter err = new StringWriter() {
            @Override
            public void write(String text, int offset, int length) {
                firstErrorAt.compareAndSet(0, System.currentTimeMillis());
                super.write(text, offset, length);
            }
        };
        CommandLine demo = StreamlearnTools.commandLine();
        demo.setErr(new PrintWriter(err, true));
        AtomicInteger exit = new AtomicInteger(-1);
        List<String> arguments = new ArrayList<>(List.of("demo", "--events", "3000", "--port", "0", "--out",
                temp.resolve("demo-out").toString()));
        arguments.addAll(RECORDS_OVER_THE_BUFFER);
        Thread running = new Thread(() -> exit.set(demo.execute(arguments.toArray(String[]::new))), "dying-demo");
        try {
            running.start();
            running.join(Duration.ofSeconds(240).toMillis());
            assertThat(running.isAlive()).as("the demo has exited").isFalse();
            long exitedAt = System.currentTimeMillis();

            assertThat(exit.get()).isEqualTo(CommandLine.ExitCode.SOFTWARE);
            assertThat(err.toString()).contains("a part of the pipeline failed",
                    "the trainer's Kafka Streams client stopped", "RecordTooLargeException");
            List<ILoggingEvent> logged = failures.list.stream()
                    .filter(event -> event.getLevel() == Level.ERROR
                            && event.getFormattedMessage().startsWith("Part 'trainer' failed"))
                    .toList();
            assertThat(logged).as("the failure is logged once").hasSize(1);
            long failedAt = logged.get(0).getTimeStamp();
            LOG.info("Demo with a dying trainer: the cause on stderr {} ms and the exit {} ms after the failure",
                    firstErrorAt.get() - failedAt, exitedAt - failedAt);
            assertThat(firstErrorAt.get() - failedAt).as("ms from the failure to the cause on stderr")
                    .isLessThan(10_000L);
            assertThat(exitedAt - failedAt).as("ms from the failure to the exit, the parts closed").isLessThan(60_000);
            assertThat(temp.resolve("demo-out/summary.json")).doesNotExist();
        } finally {
            partLog.detachAppender(failures);
        }
    }

    private static List<String> topics(String prefix, String... names) {
        List<String> topics = new ArrayList<>();
        for (String name : names) {
            String topic = prefix + "." + name;
            broker.createTopic(topic, 1, Map.of());
            topics.add(topic);
        }
        return topics;
    }

    private static void replay(String eventsTopic, String labelsTopic) throws InterruptedException {
        try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                eventsTopic, labelsTopic, "electricity", 0, 0))) {
            replayer.replay(events, () -> 1_700_000_000_000L);
        }
    }

    /**
     * {@code streamlearn ARGS SETTINGS} in a JVM of its own, as an orchestrator runs it, its output in
     * {@code <name>.log}.
     */
    private Process startJvm(String name, List<String> arguments, List<String> settings) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), StreamlearnCommand.class.getName()));
        command.addAll(arguments);
        command.addAll(settings);
        command.addAll(List.of("--bootstrap-servers", broker.bootstrapServers()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve(name + ".log").toFile()).start();
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status of {@code GET url}, or -1 while nothing listens yet. */
    private static int status(String url) throws InterruptedException {
        try {
            return get(url).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
