package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.drift.DriftMonitorApplication;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.kafka.DriftTopics;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.definitions.DefinitionFollower;
import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.streamlearn.runtime.kafka.FollowerSettings;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift monitor scaled out (issue "Scale out for real", part 3): three {@code streamlearn monitor} JVMs share one
 * application id over 12-partition inputs of 12 defined models; one is killed with SIGKILL part-way and restarted
 * later. Its tasks move to the others (standbys) and back, and the committed alerts and retraining requests must equal
 * those of one uninterrupted monitor in the test JVM over the same input: none lost, none twice, none different.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class MonitorScaleOutTest {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorScaleOutTest.class);
    private static final int PARTITIONS = 12;
    private static final int MODELS = 12;
    private static final String[] MODEL_NAMES = modelNames();
    private static final int EVENTS_PER_MODEL = 4000;
    /** Where x of every third model shifts by 3 sigma, and where the error rate of every third other rises. */
    private static final int DRIFT_AT = 2500;
    /** Kafka's default {@code message.max.bytes}, set on each topic whatever the broker allows. */
    private static final Map<String, String> DEFAULT_LIMIT = Map.of("max.message.bytes", "1048588");
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path temp;

    @Test
    void threeMonitorsWithOneKilledCommitTheAlertsOfAnUninterruptedMonitor() throws Exception {
        Map<String, String> input = inputTopics();
        long total = writeInput(input);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            Map<TopicPartition, Long> end = endOffsets(admin, input);
            assertThat(end.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
            DriftMonitorConfig reference = uninterrupted(admin, input, end);
            DriftMonitorConfig scaled = scaledOutWithOneKill(admin, input, end);

            List<String> alerts = committed(reference.alertsTopic());
            assertThat(alerts).as("drift was detected").isNotEmpty();
            assertThat(alerts).anyMatch(a -> a.contains("\"kind\":\"feature\""))
                    .anyMatch(a -> a.contains("\"kind\":\"concept\""));
            assertThat(committed(scaled.alertsTopic())).containsExactlyInAnyOrderElementsOf(alerts);
            List<String> requests = committed(reference.retrainRequestsTopic());
            assertThat(requests).isNotEmpty();
            assertThat(committed(scaled.retrainRequestsTopic())).containsExactlyInAnyOrderElementsOf(requests);
        }
    }

    /** One monitor in the test JVM, following the definitions as {@code streamlearn monitor} does, over all input. */
    private DriftMonitorConfig uninterrupted(Admin admin, Map<String, String> input, Map<TopicPartition, Long> end) {
        DriftMonitorConfig reference = DriftMonitorConfig.of(settings(input, "reference", "reference")).validate();
        DriftTopics.createMissing(reference, 1, (short) 1);
        try (DefinitionFollower definitions = new DefinitionFollower(
                        new FollowerSettings(broker.bootstrapServers(), Map.of()), reference.definitionsTopic(),
                        "scale-out-reference", new ModelCatalog()).startAndCatchUp(DefinitionFollower.DEFAULT_CATCH_UP);
                DriftMonitorApplication monitor = DriftMonitorApplication.start(reference, definitions.catalog(),
                        new SimpleMeterRegistry())) {
            awaitConsumed(admin, reference.applicationId(), end);
        }
        return reference;
    }

    /** Three monitor JVMs of one application; the second killed with SIGKILL part-way, restarted later. */
    private DriftMonitorConfig scaledOutWithOneKill(Admin admin, Map<String, String> input,
            Map<TopicPartition, Long> end) throws Exception {
        DriftMonitorConfig scaled = DriftMonitorConfig.of(settings(input, "scaled", "scaled-0")).validate();
        DriftTopics.createMissing(scaled, 1, (short) 1);
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        List<Process> monitors = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                monitors.add(startMonitorJvm(input, "scaled-" + i, "scaled-" + i));
            }
            // Killed once the group has committed a quarter of the input, while the rest is still to come.
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                    .until(() -> consumed(admin, scaled.applicationId(), end) >= total / 4);
            Process victim = monitors.get(1);
            victim.destroyForcibly().waitFor();
            long atKill = consumed(admin, scaled.applicationId(), end);
            LOG.info("SIGKILL to monitor pid {} at {} committed input records of {}", victim.pid(), atKill, total);
            assertThat(atKill).as("killed part-way").isLessThan(total);
            // Restarted once the two others have taken over its tasks and moved on.
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                    .until(() -> consumed(admin, scaled.applicationId(), end) >= Math.min(total, atKill + total / 8));
            monitors.set(1, startMonitorJvm(input, "scaled-1", "scaled-1-restarted"));
            awaitConsumed(admin, scaled.applicationId(), end);
        } finally {
            for (Process monitor : monitors) {
                monitor.destroy();
                monitor.waitFor();
            }
        }
        return scaled;
    }

    /** Inputs with 12 partitions, the models and batch references the monitor follows, and 12 models defined. */
    private Map<String, String> inputTopics() {
        String prefix = "scale-out";
        Map<String, String> topics = new HashMap<>(Map.of(
                "topic.events", prefix + ".events",
                "topic.predictions", prefix + ".predictions",
                "topic.labels", prefix + ".labels",
                "topic.models", prefix + ".models",
                "topic.drift.references", prefix + ".drift-references",
                "topic.definitions", prefix + ".model-definitions"));
        for (String key : List.of("topic.events", "topic.predictions", "topic.labels")) {
            broker.createTopic(topics.get(key), PARTITIONS, DEFAULT_LIMIT);
        }
        Map<String, String> compacted = new HashMap<>(DEFAULT_LIMIT);
        compacted.put("cleanup.policy", "compact");
        broker.createTopic(topics.get("topic.models"), 1, compacted);
        try (DefinitionWriter writer = new DefinitionWriter(new FollowerSettings(broker.bootstrapServers(), Map.of()),
                topics.get("topic.definitions"), 1, (short) 1, Duration.ofSeconds(30))) {
            for (int m = 0; m < MODELS; m++) {
                writer.define(new ModelDefinition(new FeatureSchema(model(m), FeatureSpec.nominal("y",
                        List.of("a", "b")), List.of(FeatureSpec.numeric("x"), FeatureSpec.numeric("z"))),
                        "trees.HoeffdingTree"));
            }
        }
        return topics;
    }

    /**
     * Every model's events (labelled inline) and the trainer's prediction of each, models interleaved, one seeded
     * sequence: x of models 0, 3, 6, 9 shifts by 3 sigma at {@link #DRIFT_AT}; the accuracy of models 1, 4, 7, 10 falls
     * from 0.9 to 0.6 there; the others stay as they are. Returns the number of records written.
     */
    private static long writeInput(Map<String, String> topics) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        Random random = new Random(20261205);
        // Record times in the last hour: the broker's retention (7 days by record time) would otherwise delete the
        // input, and the alerts that carry its times, while the test runs.
        long start = System.currentTimeMillis() - 1000L * (EVENTS_PER_MODEL + 1);
        long written = 0;
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 1; i <= EVENTS_PER_MODEL; i++) {
                long time = start + 1000L * i;
                for (int m = 0; m < MODELS; m++) {
                    boolean drifted = i > DRIFT_AT;
                    double shift = drifted && m % 3 == 0 ? 3 : 0;
                    double accuracy = drifted && m % 3 == 1 ? 0.6 : 0.9;
                    String predicted = random.nextDouble() < 0.5 ? "a" : "b";
                    double scoreA = predicted.equals("a") ? 0.5 + 0.5 * random.nextDouble() : 0.5 * random.nextDouble();
                    String label = random.nextDouble() < accuracy ? predicted : predicted.equals("a") ? "b" : "a";
                    String id = model(m) + "-e" + i;
                    String event = String.format(Locale.ROOT,
                            "{\"id\":\"%s\",\"ts\":%d,\"features\":{\"x\":%.6f,\"z\":%.6f},\"label\":\"%s\"}", id, time,
                            shift + random.nextGaussian(), random.nextGaussian(), label);
                    String prediction = String.format(Locale.ROOT, "{\"id\":\"%s\",\"model\":\"%s\",\"version\":1,"
                            + "\"prediction\":\"%s\",\"scores\":{\"a\":%.4f,\"b\":%.4f},\"ts\":%d}", id, model(m),
                            predicted, scoreA, 1 - scoreA, time);
                    producer.send(new ProducerRecord<>(topics.get("topic.events"), null, time, model(m),
                            event.getBytes(StandardCharsets.UTF_8)));
                    producer.send(new ProducerRecord<>(topics.get("topic.predictions"), null, time, model(m),
                            prediction.getBytes(StandardCharsets.UTF_8)));
                    written += 2;
                }
            }
        }
        return written;
    }

    private static String model(int m) {
        return MODEL_NAMES[m];
    }

    /** Model {@code m} is the first name {@code model-<k>} on partition {@code m % PARTITIONS}: every task has data. */
    private static String[] modelNames() {
        String[] names = new String[MODELS];
        for (int m = 0; m < MODELS; m++) {
            for (int k = 0; names[m] == null; k++) {
                String name = "model-" + k;
                if (Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % PARTITIONS
                        == m % PARTITIONS) {
                    names[m] = name;
                }
            }
        }
        return names;
    }

    /**
     * A monitor's settings: the shared input topics, its run's application id and output topics, its own state
     * directory, small windows, and what a group of several needs (a standby of each task, a 6 s session timeout).
     */
    private Map<String, String> settings(Map<String, String> input, String run, String instance) {
        Map<String, String> settings = new HashMap<>(input);
        settings.putAll(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "drift.application.id", "scale-out-" + run,
                "topic.drift.alerts", "scale-out." + run + ".drift-alerts",
                "topic.retrain.requests", "scale-out." + run + ".retrain-requests",
                "drift.reference.size", "2000",
                "drift.window.size", "1000",
                "drift.window.step", "250",
                "kafka.state.dir", temp.resolve(instance + "-state").toString(),
                "kafka.commit.interval.ms", "200"));
        settings.put("kafka.num.standby.replicas", "1");
        // A killed member leaves no goodbye: the broker notices after the session timeout (its minimum is 6 s).
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("kafka.heartbeat.interval.ms", "1000");
        return settings;
    }

    private Process startMonitorJvm(Map<String, String> input, String instance, String log) throws IOException {
        Map<String, String> settings = settings(input, "scaled", instance);
        settings.remove("bootstrap.servers");
        List<String> command = StreamlearnJvm.command("384m", temp.resolve("tmp-" + instance), List.of("monitor",
                "--bootstrap-servers", broker.bootstrapServers(), "--port", "0"), settings);
        File file = temp.resolve(log + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(file).start();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, Map<String, String> topics)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String key : List.of("topic.events", "topic.predictions", "topic.labels")) {
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(topics.get(key), p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
        return end;
    }

    /** Input records the group has committed (stable offsets: no open transaction), over all input partitions. */
    private static long consumed(Admin admin, String group, Map<TopicPartition, Long> end)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group,
                new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (TopicPartition partition : end.keySet()) {
            OffsetAndMetadata offset = committed.get(partition);
            sum += offset == null ? 0 : offset.offset();
        }
        return sum;
    }

    /** Until the group's committed offsets reach the end of every input partition. */
    private static void awaitConsumed(Admin admin, String group, Map<TopicPartition, Long> end) {
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> consumed(admin, group, end) == total);
    }

    /** A topic's committed records as {@code key value}, for comparison as a multiset. */
    private static List<String> committed(String topic) {
        List<String> records = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : CommittedRecords.readAll(broker.bootstrapServers(), topic)) {
            records.add(record.key() + " " + new String(record.value(), StandardCharsets.UTF_8));
        }
        return records;
    }
}
