package io.streamlearn.retrain;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A model whose class is {@code x1 + x2 > 0}, its events on a broker (half labelled inline, half by a record on the
 * labels topic), an online snapshot that has seen too little to know it, and the settings of a small, quick run.
 */
public final class RetrainFixtures {

    public static final String MODEL = "sign";
    public static final FeatureSchema SCHEMA = new FeatureSchema(MODEL, FeatureSpec.nominal("y", List.of("neg", "pos")),
            List.of(FeatureSpec.numeric("x1"), FeatureSpec.numeric("x2")));
    private static final ObjectMapper JSON = new ObjectMapper();

    private RetrainFixtures() {
    }

    /** Topic names under a prefix, so each test has its own, and a run small enough for a test. */
    public static Map<String, String> settings(EmbeddedKafkaBroker broker, String prefix) {
        Map<String, String> values = new HashMap<>();
        values.put("bootstrap.servers", broker.bootstrapServers());
        values.put("topic.events", prefix + ".events");
        values.put("topic.labels", prefix + ".labels");
        values.put("topic.models", prefix + ".models");
        values.put("topic.retrain.requests", prefix + ".retrain-requests");
        values.put("topic.training.runs", prefix + ".training-runs");
        values.put("topic.pins", prefix + ".model-pins");
        values.put("topic.drift.references", prefix + ".drift-references");
        values.put("retrain.group.id", prefix + ".retrainer");
        values.put("retrain.window.min-rows", "300");
        values.put("retrain.min-rows", "200");
        values.put("retrain.trials", "3");
        values.put("retrain.max-rounds", "30");
        values.put("retrain.cv-folds", "2");
        values.put("retrain.nthread", "1");
        values.put("retrain.device", "cpu");
        return values;
    }

    /**
     * Events {@code from..from+count-1} (ids {@code e<i>}, timestamps {@code 1_700_000_000_000 + i * 1000}); even ones
     * carry their label, odd ones get it on the labels topic unless {@code labelled} is false.
     */
    public static void produceEvents(EmbeddedKafkaBroker broker, RetrainConfig config, int from, int count,
            boolean labelled, long seed) {
        Random random = new Random(seed);
        EventCodec codec = new EventCodec();
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            for (int i = from; i < from + count; i++) {
                double x1 = random.nextGaussian();
                double x2 = random.nextGaussian();
                String label = x1 + x2 > 0 ? "pos" : "neg";
                ObjectNode event = JSON.createObjectNode().put("id", "e" + i).put("model", MODEL)
                        .put("ts", 1_700_000_000_000L + i * 1000L);
                event.putObject("features").put("x1", x1).put("x2", x2);
                if (labelled && i % 2 == 0) {
                    event.put("label", label);
                }
                producer.send(new ProducerRecord<>(config.eventsTopic(), MODEL, codec.write(event)));
                if (labelled && i % 2 == 1) {
                    producer.send(new ProducerRecord<>(config.labelsTopic(), MODEL,
                            codec.encodeLabel("e" + i, MODEL, label)));
                }
            }
        }
    }

    /** Version 1 of the online model: a Hoeffding tree that has seen 20 rows (it predicts one class). */
    public static ModelSnapshot onlineSnapshot() {
        OnlineLearner learner = LearnerFactory.create("trees.HoeffdingTree", SCHEMA);
        Random random = new Random(5);
        for (int i = 0; i < 20; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            learner.learn(new double[] {x1, x2}, x1 + x2 > 0 ? 1 : 0);
        }
        return new ModelSnapshot(new ModelMetadata(MODEL, 1, learner.spec(), SCHEMA, Map.of(), 20, 20, null,
                1_700_000_000_000L, ModelSnapshotCodec.FORMAT_VERSION), learner.snapshot());
    }

    public static void publishOnline(EmbeddedKafkaBroker broker, RetrainConfig config) {
        publishOnline(broker, config, SnapshotSigning.none());
    }

    /** Version 1 of the online model, signed as a trainer with the key writes it. */
    public static void publishOnline(EmbeddedKafkaBroker broker, RetrainConfig config, SnapshotSigning signing) {
        publish(broker, config.modelsTopic(), MODEL, signing.sign(ModelSnapshotCodec.encode(onlineSnapshot())));
    }

    /** A record written whole, outside a transaction, as anyone with produce rights on the topic can. */
    public static void publish(EmbeddedKafkaBroker broker, String topic, String key, byte[] value) {
        publish(broker, topic, key, List.of(value));
    }

    /** Records in this order, by one producer. */
    public static void publish(EmbeddedKafkaBroker broker, String topic, String key, List<byte[]> values) {
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            values.forEach(value -> producer.send(new ProducerRecord<>(topic, key, value)));
        }
    }

    /** A drift monitor's request (docs/drift.md) for a drift that started at {@code fromOffset}. */
    public static void requestRetrain(EmbeddedKafkaBroker broker, RetrainConfig config, long fromOffset) {
        ObjectNode request = JSON.createObjectNode().put("model", MODEL).put("reason", "drift").put("fromPosition",
                fromOffset + 1).put("partition", 0).put("fromOffset", fromOffset)
                .put("fromTime", 1_700_000_000_000L + fromOffset * 1000L).put("detectedAtPosition", fromOffset + 1750)
                .put("detectedAtTime", 1_700_000_000_000L + (fromOffset + 1750) * 1000L);
        request.putArray("alerts").addObject().put("kind", "feature").put("feature", "x1").put("statistic", "psi")
                .put("severity", "major");
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            producer.send(new ProducerRecord<>(config.requestsTopic(), MODEL, new EventCodec().write(request)));
        }
    }

    /**
     * The newest committed value of each key of a topic whose values are chunked blobs or written whole, reassembled
     * and verified the way readers do ({@link ChunkReassembler}); chunk records never appear as keys.
     */
    public static Map<String, byte[]> committedBlobs(EmbeddedKafkaBroker broker, String topic) {
        ChunkReassembler chunks = new ChunkReassembler(BlobChunking.defaults());
        Map<String, byte[]> newest = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : CommittedRecords.readAll(broker.bootstrapServers(), topic)) {
            chunks.accept(record.key(), record.value()).ifPresent(value -> newest.put(value.key(), value.value()));
        }
        return newest;
    }

    /**
     * A validated configuration under {@code prefix} (with {@code extra} over {@link #settings}) and its topics, the
     * models and drift-references topics with Kafka's default record limit (message.max.bytes 1,048,588), whatever
     * the shared broker allows: models and training references must fit it chunked.
     */
    public static RetrainConfig config(EmbeddedKafkaBroker broker, String prefix, Map<String, String> extra) {
        Map<String, String> values = settings(broker, prefix);
        values.putAll(extra);
        RetrainConfig config = RetrainConfig.of(values).validate();
        broker.createTopic(config.eventsTopic(), 1, Map.of());
        broker.createTopic(config.labelsTopic(), 1, Map.of());
        Map<String, String> compactedDefault = Map.of("cleanup.policy", "compact", "max.message.bytes", "1048588");
        broker.createTopic(config.modelsTopic(), 1, compactedDefault);
        broker.createTopic(config.driftReferencesTopic(), 1, compactedDefault);
        return config;
    }

    /** Every committed record of the runs topic, oldest first. */
    public static List<JsonNode> runs(EmbeddedKafkaBroker broker, RetrainConfig config) {
        return CommittedRecords.readAll(broker.bootstrapServers(), config.runsTopic()).stream().map(record -> {
            try {
                return JSON.readTree(record.value());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** The committed run records that are final (not {@code running}). */
    public static List<JsonNode> finalRuns(EmbeddedKafkaBroker broker, RetrainConfig config) {
        return runs(broker, config).stream().filter(run -> !run.get("status").asText().equals("running")).toList();
    }

    /** Every run record, once one is final. */
    public static List<JsonNode> awaitFinalRun(EmbeddedKafkaBroker broker, RetrainConfig config) {
        await().atMost(Duration.ofSeconds(90)).until(() -> !finalRuns(broker, config).isEmpty());
        return runs(broker, config);
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafkaBroker broker) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
}
