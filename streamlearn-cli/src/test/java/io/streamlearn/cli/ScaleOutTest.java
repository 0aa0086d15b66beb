package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.GeneratedArff;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.runtime.definitions.DefinitionFollower;
import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.streamlearn.runtime.kafka.FollowerSettings;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fifty models defined on the definitions topic train on three trainer JVMs ({@code streamlearn train
 * --defined-models-only}, one application id, 12 partitions, one standby replica); one JVM is killed with SIGKILL
 * mid-stream and started again later. A {@code read_committed} consumer must see exactly one prediction per event, and
 * every model's final snapshot must equal the one of an uninterrupted single-instance run. One model is a sharded
 * forest (three shards, docs/sharding.md): its shards' final states must equal the uninterrupted run's too, so a
 * SIGKILL that takes shards or the model's own task loses or repeats no step and no vote. The failover time (SIGKILL
 * to the first committed prediction of a model the killed JVM owned) is logged, not asserted: it is measured on
 * whatever machine runs the suite. {@code -Dstreamlearn.scale.standbys=0} measures it without standbys.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ScaleOutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ScaleOutTest.class);
    private static final int PARTITIONS = 12;
    private static final int MODELS = 50;
    /** A few heavy models and many light ones, as in a deployment that serves a few busy and many quiet tenants. */
    private static final int HEAVY_MODELS = 3;
    /** One of the heavy models is a forest of six trees in three shards (docs/sharding.md). */
    private static final int SHARDED_MODEL = 1;
    private static final int SHARDS = 3;
    private static final int HEAVY_EVENTS = 2_500;
    private static final int LIGHT_EVENTS = 150;
    /** Events per second of the scaled run's producer: a steady stream, so the kill lands mid-processing. */
    private static final int RATE = 500;
    private static final int STANDBYS = Integer.getInteger("streamlearn.scale.standbys", 1);
    /**
     * Record timestamps of the last hour: with ones from 2023 the broker's time retention (7 days, first checked 30 s
     * after it starts) deleted the input and the predictions part-way through a run, which looked like tasks that
     * stopped (docs/reliability.md, "Scale-out and failover").
     */
    private static final long START_TS = System.currentTimeMillis() - 3_600_000L;
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path temp;

    /** One event as produced: its model (the key), id and JSON value. */
    private record Sent(String model, String id, byte[] value) {
    }

    @Test
    void fiftyModelsOnThreeInstancesSurviveSigkillEqualToOneInstance() throws Exception {
        long started = System.nanoTime();
        List<ModelDefinition> definitions = new ArrayList<>();
        List<Sent> events = interleavedEvents(definitions);
        Map<String, Long> perModel = events.stream().collect(Collectors.groupingBy(Sent::model,
                Collectors.counting()));
        // What the newest snapshot of each key must have seen: every model's events, and each shard of the sharded
        // model all of its model's (a shard's state is published under <model>#<shard>).
        String sharded = definitions.get(SHARDED_MODEL).name();
        for (int shard = 0; shard < SHARDS; shard++) {
            perModel.put(sharded + "#" + shard, perModel.get(sharded));
        }

        TrainerConfig reference = TrainerConfig.of(settings("reference", 0));
        define(reference, definitions);
        produce(reference, events, 0);
        try (DefinitionFollower follower = new DefinitionFollower(followerSettings(), reference.definitionsTopic(),
                "scale-test-reference", new ModelCatalog()).startAndCatchUp(Duration.ofSeconds(60));
                TrainerApplication trainer = TrainerApplication.start(reference, follower.catalog(),
                        new SimpleMeterRegistry())) {
            awaitFinalSnapshots(reference, perModel);
        }
        LOG.info("Reference run of {} models, {} events done after {} s", MODELS, events.size(), seconds(started));

        TrainerConfig scaled = TrainerConfig.of(settings("scaled", 0));
        define(scaled, definitions);
        List<Process> trainers = new ArrayList<>();
        try (PredictionWatch watch = new PredictionWatch(broker.bootstrapServers(), scaled.predictionsTopic())) {
            for (int instance = 0; instance < 3; instance++) {
                trainers.add(startTrainerJvm(instance, "start"));
            }
            TrainerGroupProbe group = new TrainerGroupProbe(broker.bootstrapServers(), scaled, PARTITIONS);
            group.awaitMembers(3);
            Thread producer = new Thread(() -> produce(scaled, events, RATE), "scale-test-producer");
            producer.start();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                    .until(() -> watch.count() >= events.size() * 35L / 100);
            // The victim is the instance that holds the sharded model's first shard: a SIGKILL that takes shards.
            int victim = instanceHoldingShard(group, scaled, ShardKey.partition(sharded, 0, PARTITIONS));
            Set<String> victimModels = modelsOwnedBy(group, clientId(victim), events);
            long killedAt = System.nanoTime();
            trainers.get(victim).destroyForcibly().waitFor();
            watch.killed(killedAt);
            LOG.info("SIGKILL to trainer {} of 3 (standbys {}) at {} committed predictions of {}; it owned {} models "
                    + "and shard 0 of {}", victim + 1, STANDBYS, watch.count(), events.size(), victimModels.size(),
                    sharded);
            assertThat(victimModels).as("models of the killed instance").isNotEmpty();
            await().atMost(Duration.ofSeconds(120)).until(() -> watch.resumed().keySet().containsAll(victimModels));
            trainers.set(victim, startTrainerJvm(victim, "restarted"));
            producer.join();
            awaitFinalSnapshots(scaled, perModel);
            logFailover(watch, victimModels);
        } finally {
            for (Process trainer : trainers) {
                trainer.destroy();
                trainer.waitFor();
            }
        }

        Map<String, Integer> perId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : committed(scaled.predictionsTopic())) {
            perId.merge(JSON.readTree(record.value()).get("id").asText(), 1, Integer::sum);
        }
        assertThat(perId).hasSize(events.size());
        assertThat(committed(scaled.predictionsTopic()).stream().filter(record -> record.key().equals(sharded)))
                .as("predictions of the sharded model").hasSize(perModel.get(sharded).intValue());
        assertThat(perId.values()).containsOnly(1);
        assertThat(committed(reference.deadLetterTopic())).isEmpty();
        assertThat(committed(scaled.deadLetterTopic())).isEmpty();
        Map<String, ModelSnapshot> straight = lastSnapshots(reference);
        Map<String, ModelSnapshot> recovered = lastSnapshots(scaled);
        assertThat(recovered.keySet()).hasSize(MODELS + SHARDS).isEqualTo(straight.keySet());
        for (String model : straight.keySet()) {
            ModelSnapshot expected = straight.get(model);
            ModelSnapshot actual = recovered.get(model);
            assertThat(actual.metadata().eventsSeen()).as(model).isEqualTo(expected.metadata().eventsSeen())
                    .isEqualTo(perModel.get(model));
            assertThat(actual.metadata().labelsLearned()).as(model).isEqualTo(expected.metadata().labelsLearned());
            assertThat(actual.metadata().evaluation()).as(model).isEqualTo(expected.metadata().evaluation());
            assertThat(actual.learnerState()).as(model).isEqualTo(expected.learnerState());
        }
        LOG.info("Scale-out test done in {} s", seconds(started));
    }

    /**
     * Fifty models from MOA's seeded random tree stream (numeric, or with two 5-valued nominals every fifth), mostly
     * Hoeffding trees, every fourth naive Bayes; their events shuffled into one stream with a fixed seed.
     */
    private List<Sent> interleavedEvents(List<ModelDefinition> definitions) throws IOException {
        List<List<LabeledRow>> rows = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < MODELS; i++) {
            String generator = i % 5 == 4
                    ? "generators.RandomTreeGenerator -r " + (i + 1) + " -i " + (i + 101) + " -c 2 -o 2 -v 5 -u 3"
                    : "generators.RandomTreeGenerator -r " + (i + 1) + " -i " + (i + 101) + " -c " + (2 + i % 3)
                            + " -o 0 -u " + (3 + i % 4);
            int size = i < HEAVY_MODELS ? HEAVY_EVENTS : LIGHT_EVENTS;
            Path file = temp.resolve("m" + i + ".arff");
            GeneratedArff.write(generator, size, file);
            Dataset data = Dataset.read(file, String.format("m%02d", i), null);
            definitions.add(i == SHARDED_MODEL
                    ? new ModelDefinition(data.schema(), "meta.AdaptiveRandomForest -s 6").withShards(SHARDS)
                    : new ModelDefinition(data.schema(), i % 4 == 3 ? "bayes.NaiveBayes" : "trees.HoeffdingTree"));
            rows.add(data.rows());
            order.addAll(Collections.nCopies(size, i));
        }
        Collections.shuffle(order, new Random(20261205));
        EventCodec codec = new EventCodec();
        int[] next = new int[MODELS];
        List<Sent> events = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            int model = order.get(i);
            String name = definitions.get(model).name();
            int row = next[model]++;
            events.add(new Sent(name, name + "-" + row,
                    codec.encodeEvent(name + "-" + row, START_TS + i, name, rows.get(model).get(row))));
        }
        return events;
    }

    private void define(TrainerConfig config, List<ModelDefinition> definitions) {
        TrainerTopics.createMissing(config, PARTITIONS, (short) 1);
        try (DefinitionWriter writer = new DefinitionWriter(followerSettings(), config.definitionsTopic(), 1,
                (short) 1, Duration.ofSeconds(60))) {
            definitions.forEach(writer::create);
        }
    }

    /** Sends the events in their order (so each partition holds them in the same order in every run). */
    private static void produce(TrainerConfig config, List<Sent> events, int rate) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < events.size(); i++) {
                Sent event = events.get(i);
                producer.send(new ProducerRecord<>(config.eventsTopic(), null, START_TS + i, event.model(),
                        event.value()));
                if (rate > 0 && i % 50 == 49) {
                    pace(start + (long) ((i + 1) * 1e9 / rate));
                }
            }
            producer.flush();
        }
    }

    /** Holds the producer to its rate (the replayer's pacing, EventReplayer). */
    private static void pace(long dueNanos) {
        long wait = dueNanos - System.nanoTime();
        if (wait > 1_000_000) {
            try {
                Thread.sleep(wait / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The models whose events partitions the instance's consumer is assigned (active tasks only). */
    private static Set<String> modelsOwnedBy(TrainerGroupProbe group, String clientId, List<Sent> events)
            throws Exception {
        Set<Integer> partitions = group.eventsPartitionsOf(clientId);
        Set<String> models = new TreeSet<>();
        for (Sent event : events) {
            // The producer's default partitioner for a keyed record: murmur2 of the key.
            if (partitions.contains(Utils.toPositive(Utils.murmur2(event.model().getBytes(StandardCharsets.UTF_8)))
                    % PARTITIONS)) {
                models.add(event.model());
            }
        }
        return models;
    }

    /** The instance (0-2) whose stream thread is assigned {@code partition} of the shard-steps topic. */
    private static int instanceHoldingShard(TrainerGroupProbe group, TrainerConfig config, int partition)
            throws Exception {
        TopicPartition shardSteps = new TopicPartition(config.shardStepsTopic(), partition);
        String member = group.memberHolding(shardSteps);
        for (int instance = 0; instance < 3; instance++) {
            if (member.startsWith(clientId(instance) + "-")) {
                return instance;
            }
        }
        throw new AssertionError("no instance holds " + shardSteps + " (member " + member + ")");
    }

    /** Where the trainer puts shard {@code shard} of {@code model} (its ShardPartitioner): murmur2(model) + shard. */
    private static final class ShardKey {
        static int partition(String model, int shard, int partitions) {
            return (Utils.toPositive(Utils.murmur2(model.getBytes(StandardCharsets.UTF_8))) % partitions + shard)
                    % partitions;
        }
    }

    private static void logFailover(PredictionWatch watch, Set<String> victimModels) {
        List<Long> millis = victimModels.stream().map(model -> watch.resumed().get(model)).sorted().toList();
        LOG.info("Failover (measured under load, {} standby replica(s), session timeout 6 s): the killed instance's "
                + "{} models predicted again {} ms after SIGKILL (first), {} ms (median), {} ms (last)", STANDBYS,
                millis.size(), millis.get(0), millis.get(millis.size() / 2), millis.get(millis.size() - 1));
    }

    private Process startTrainerJvm(int instance, String phase) throws IOException {
        List<String> command = StreamlearnJvm.command("384m", temp.resolve("tmp-" + instance), List.of("train",
                "--defined-models-only", "--bootstrap-servers", broker.bootstrapServers(), "--port", "0"),
                settings("scaled", instance));
        // Kept after the test (the temporary directory is not), to read what a trainer did when the test fails.
        Path logs = Files.createDirectories(Path.of("target", "scale-out-test"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve("trainer-" + (instance + 1) + "-" + phase + ".log").toFile()).start();
    }

    private static String clientId(int instance) {
        return "scale-trainer-" + (instance + 1);
    }

    /** One run's settings; {@code instance} picks the JVM's own state directory and client id. */
    private Map<String, String> settings(String run, int instance) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("application.id", "scale-test-" + run);
        for (String topic : List.of("events", "labels", "predictions", "dlq", "models", "definitions", "anomalies")) {
            settings.put("topic." + topic, run + "." + topic);
        }
        settings.put("snapshot.interval.ms", "500");
        settings.put("checkpoint.interval.records", "1000");
        settings.put("shard.enabled", "true");
        settings.put("kafka.state.dir", temp.resolve(run + "-state-" + instance).toString());
        settings.put("kafka.client.id", clientId(instance));
        settings.put("kafka.num.standby.replicas", Integer.toString(STANDBYS));
        // A killed member leaves no goodbye: the broker notices after the session timeout (its minimum is 6 s).
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("kafka.heartbeat.interval.ms", "1000");
        return settings;
    }

    private static FollowerSettings followerSettings() {
        return new FollowerSettings(broker.bootstrapServers(), Map.of());
    }

    /** Waits until every model's newest snapshot (its manifest's metadata, no reassembly) covers all its events. */
    private static void awaitFinalSnapshots(TrainerConfig config, Map<String, Long> perModel) {
        try {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                    .until(() -> eventsSeen(config).equals(perModel));
        } catch (ConditionTimeoutException e) {
            Map<String, Long> seen = eventsSeen(config);
            Map<String, Long> predicted = committed(config.predictionsTopic()).stream().collect(
                    Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            throw new AssertionError(perModel.keySet().stream().sorted()
                    .filter(model -> !perModel.get(model).equals(seen.get(model)))
                    .map(model -> model + ": " + perModel.get(model) + " events, " + predicted.get(model)
                            + " predicted, last snapshot at " + seen.get(model))
                    .collect(Collectors.joining("; ", "final snapshots missing on " + config.modelsTopic() + ": ",
                            "")) + "; " + new TrainerGroupProbe(broker.bootstrapServers(), config, PARTITIONS)
                    .transactionState(), e);
        }
    }

    /** Each model's events seen in its newest snapshot on the topic. */
    private static Map<String, Long> eventsSeen(TrainerConfig config) {
        Map<String, Long> seen = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : committed(config.modelsTopic())) {
            if (!BlobChunking.isChunkKey(record.key())) {
                seen.put(record.key(), ModelSnapshotCodec.decodeMetadata(record.value()).eventsSeen());
            }
        }
        return seen;
    }

    /** The newest snapshot of each model, reassembled from its chunks. */
    private static Map<String, ModelSnapshot> lastSnapshots(TrainerConfig config) {
        ChunkReassembler chunks = new ChunkReassembler(BlobChunking.defaults());
        Map<String, byte[]> last = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : committed(config.modelsTopic())) {
            chunks.accept(record.key(), record.value()).ifPresent(blob -> last.put(blob.key(), blob.value()));
        }
        Map<String, ModelSnapshot> snapshots = new HashMap<>();
        last.forEach((model, blob) -> snapshots.put(model, ModelSnapshotCodec.decode(blob)));
        return snapshots;
    }

    private static List<ConsumerRecord<String, byte[]>> committed(String topic) {
        return CommittedRecords.readAll(broker.bootstrapServers(), topic);
    }

    private static long seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }
}
