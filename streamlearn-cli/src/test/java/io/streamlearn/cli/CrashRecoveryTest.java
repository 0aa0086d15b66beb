package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.BlobManifest;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.GeneratedArff;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.kafka.CommittedRecordCounter;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer runs as a separate JVM ({@code streamlearn train}) and is killed with SIGKILL at random points while it
 * learns Electricity, then restarted. A {@code read_committed} consumer must see exactly one prediction per event, and
 * the final model must equal the model of an uninterrupted run in the test JVM. The number of kills is
 * {@code streamlearn.torture.kills} (docs/reliability.md has the soak command).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class CrashRecoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TREE = "trees.HoeffdingTree";
    /** MOA's random tree stream with three 300-value nominals: a Hoeffding tree on 90k rows serializes to ~5.7 MB. */
    private static final String HIGH_CARDINALITY = "generators.RandomTreeGenerator -r 1 -i 1 -c 2 -o 3 -v 300 -u 5";
    /** Three kills in the default suite; the soak sets more, e.g. {@code -Dstreamlearn.torture.kills=20}. */
    private static final int KILLS = Integer.getInteger("streamlearn.torture.kills", 3);
    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static EmbeddedKafkaBroker broker;
    private static Dataset electricity;
    /** The stream of the test running: its rows and the file the trainer JVM reads the schema from. */
    private Dataset data;
    private Path dataFile;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadFixtures() throws IOException {
        electricity = Dataset.read(BundledDatasets.electricityArff(), "electricity", null);
    }

    @Test
    void trainerKilledWithSigkillRecoversToTheModelOfAnUninterruptedRun() throws Exception {
        data = electricity;
        dataFile = BundledDatasets.electricityArff();
        killAndRecover(TREE, "tree", KILLS);
    }

    /**
     * A model that no single Kafka record can hold (default 1 MiB limits on this broker): its checkpoints and
     * snapshots travel chunked, it survives SIGKILL equal to an uninterrupted run, and a server loads it.
     */
    @Test
    void largeModelKilledWithSigkillRecoversChunkedAndIsServed() throws Exception {
        dataFile = temp.resolve("hicard.arff");
        GeneratedArff.write(HIGH_CARDINALITY, 90_000, dataFile);
        data = Dataset.read(dataFile, "hicard", null);
        TrainerConfig crashed = killAndRecover(TREE, "large", 1);

        ModelSnapshot recovered = lastSnapshot(crashed);
        assertThat(recovered.learnerState().length).as("serialized tree").isGreaterThan(5 << 20);
        List<ConsumerRecord<String, byte[]>> records = committed(crashed.modelsTopic());
        BlobManifest manifest = BlobManifest.decode(records.get(records.size() - 1).value());
        assertThat(manifest.chunkCount()).isGreaterThan(1);
        assertThat(records).allSatisfy(record -> assertThat(record.serializedValueSize()).isLessThan(1 << 20));
        try (PredictionServer server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1")
                .withHttpPort(0).withBootstrapServers(broker.bootstrapServers())
                .withModelsTopic(crashed.modelsTopic()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> server.models().find("hicard")
                    .map(ServedModel::version).orElse(0L) == recovered.metadata().version());
            assertThat(server.snapshots().rejectedCount()).isZero();
        }
    }

    private TrainerConfig killAndRecover(String learner, String name, int kills) throws Exception {
        TrainerConfig reference = config(name + "-reference");
        replay(reference);
        try (TrainerApplication trainer = TrainerApplication.start(reference,
                List.of(new ModelDefinition(data.schema(), learner)), new SimpleMeterRegistry())) {
            awaitFinalSnapshot(reference);
        }

        TrainerConfig crashed = config(name + "-crashed");
        replay(crashed);
        Random random = new Random(20261125);
        int total = data.rows().size();
        try (CommittedRecordCounter predicted = new CommittedRecordCounter(broker.bootstrapServers(),
                crashed.predictionsTopic())) {
            for (int kill = 1; kill <= kills; kill++) {
                // Kill points spread over the first 70 % of the stream, whatever the number of kills (for 3: at 1/5,
                // 2/5 and 3/5 plus up to a tenth), so that at least ~13k events remain after the last kill.
                long threshold = (long) total * 3 * kill / (5 * kills) + random.nextInt(total / 10);
                Process trainer = startTrainerJvm(crashed, learner, name + "-crash-" + kill);
                try {
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                            .until(() -> predicted.count() >= threshold);
                } finally {
                    trainer.destroyForcibly().waitFor();
                }
                int committedAtKill = committed(crashed.predictionsTopic()).size();
                LOG.info("Kill {}/{}: SIGKILL to trainer pid {} at {} committed predictions of {} (aimed at {})", kill,
                        kills, trainer.pid(), committedAtKill, total, threshold);
                assertThat(committedAtKill).as("killed mid-stream").isLessThan(total);
            }
        }
        Process last = startTrainerJvm(crashed, learner, name + "-final");
        try {
            awaitFinalSnapshot(crashed);
        } finally {
            last.destroy();
            last.waitFor();
        }

        List<ConsumerRecord<String, byte[]>> predictions = committed(crashed.predictionsTopic());
        Map<String, Integer> perId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : predictions) {
            perId.merge(JSON.readTree(record.value()).get("id").asText(), 1, Integer::sum);
        }
        assertThat(perId).hasSize(total);
        assertThat(perId.values()).containsOnly(1);

        ModelSnapshot straight = lastSnapshot(reference);
        ModelSnapshot recovered = lastSnapshot(crashed);
        assertThat(recovered.metadata().eventsSeen()).isEqualTo(straight.metadata().eventsSeen()).isEqualTo(total);
        assertThat(recovered.metadata().labelsLearned()).isEqualTo(straight.metadata().labelsLearned());
        assertThat(recovered.metadata().evaluation()).isEqualTo(straight.metadata().evaluation());
        assertThat(recovered.learnerState()).isEqualTo(straight.learnerState());
        assertThat(probe(recovered)).isEqualTo(probe(straight));
        return crashed;
    }

    /** The predicted class of every Electricity row: the same model predicts the same everywhere. */
    private List<Integer> probe(ModelSnapshot snapshot) throws Exception {
        OnlineLearner learner = snapshot.restoreLearner();
        FeatureEncoder encoder = new FeatureEncoder(data.schema());
        var codec = new io.streamlearn.core.event.EventCodec();
        List<Integer> classes = new ArrayList<>();
        for (int i = 0; i < data.rows().size(); i += 7) {
            var event = codec.decodeEvent(codec.encodeEvent("p" + i, 0, data.schema().model(), data.rows().get(i)),
                    null, 0);
            classes.add(learner.predict(encoder.encodeFeatures(event.features())).predictedClass());
        }
        return classes;
    }

    private Process startTrainerJvm(TrainerConfig config, String learner, String name) throws IOException {
        List<String> command = StreamlearnJvm.command("512m", temp.resolve("tmp-" + name), List.of("train",
                "--bootstrap-servers", broker.bootstrapServers(), "--port", "0", "--learner", learner,
                "--data", dataFile.toString(), "--model", data.schema().model()), settings(config));
        File log = temp.resolve(name + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private TrainerConfig config(String name) {
        return TrainerConfig.of(settings(name, temp.resolve(name + "-state")));
    }

    private static Map<String, String> settings(TrainerConfig config) {
        Map<String, String> settings = new HashMap<>();
        settings.put("application.id", config.applicationId());
        settings.put("topic.events", config.eventsTopic());
        settings.put("topic.labels", config.labelsTopic());
        settings.put("topic.predictions", config.predictionsTopic());
        settings.put("topic.dlq", config.deadLetterTopic());
        settings.put("topic.models", config.modelsTopic());
        settings.put("snapshot.interval.ms", config.snapshotInterval().toMillis() + "");
        settings.put("checkpoint.interval.records", config.checkpointInterval() + "");
        settings.put("snapshot.chunk.bytes", config.chunking().chunkBytes() + "");
        config.kafkaProperties().forEach((key, value) -> settings.put("kafka." + key, value));
        return settings;
    }

    private static Map<String, String> settings(String name, Path state) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "crash-test-" + name,
                "topic.events", name + ".events",
                "topic.labels", name + ".labels",
                "topic.predictions", name + ".predictions",
                "topic.dlq", name + ".dlq",
                "topic.models", name + ".models",
                "snapshot.interval.ms", "500",
                "checkpoint.interval.records", "5000",
                "kafka.state.dir", state.toString()));
        // Models compress about tenfold: 64 KiB chunks make a large model's checkpoints and snapshots several records.
        settings.put("snapshot.chunk.bytes", "65536");
        // A killed member leaves no goodbye: the broker notices after the session timeout (its minimum is 6 s).
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("kafka.heartbeat.interval.ms", "1000");
        return settings;
    }

    private void replay(TrainerConfig config) throws InterruptedException {
        TrainerTopics.createMissing(config, 1, (short) 1);
        try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                config.eventsTopic(), config.labelsTopic(), data.schema().model(), 0, 0))) {
            replayer.replay(data, () -> 1_700_000_000_000L);
        }
    }

    /** Waits on the manifests' metadata, which needs no reassembly. */
    private void awaitFinalSnapshot(TrainerConfig config) {
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<ConsumerRecord<String, byte[]>> records = committed(config.modelsTopic());
            for (int i = records.size() - 1; i >= 0; i--) {
                if (!BlobChunking.isChunkKey(records.get(i).key())) {
                    return ModelSnapshotCodec.decodeMetadata(records.get(i).value()).eventsSeen()
                            == data.rows().size();
                }
            }
            return false;
        });
    }

    /** The newest snapshot on the topic, reassembled from its chunks. */
    private static ModelSnapshot lastSnapshot(TrainerConfig config) {
        ChunkReassembler chunks = new ChunkReassembler(BlobChunking.defaults());
        byte[] last = null;
        for (ConsumerRecord<String, byte[]> record : committed(config.modelsTopic())) {
            last = chunks.accept(record.key(), record.value()).map(ChunkReassembler.Assembled::value).orElse(last);
        }
        return last == null ? null : ModelSnapshotCodec.decode(last);
    }

    private static List<ConsumerRecord<String, byte[]>> committed(String topic) {
        return CommittedRecords.readAll(broker.bootstrapServers(), topic);
    }
}
