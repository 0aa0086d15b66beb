package io.streamlearn.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.Retrainer;
import io.streamlearn.retrain.learn.BatchChallengerTrainer;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServingConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Retrain request to promoted version served, on an embedded broker: {@code rows} labelled events of a synthetic
 * model (10 numeric features, a non-linear class rule, 5 % label noise; one label in three on the labels topic), an
 * online Hoeffding tree as champion, a prediction server following {@code models} and {@code model-pins}, and the
 * retrainer with its defaults. One drift request whose window covers every row; the clock runs from writing it to the
 * server answering with the promoted version.
 */
public final class RetrainLoopBench {

    public static final String MODEL = "loop";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FEATURES = 10;

    /** Milliseconds of each phase; {@code served} is the whole loop. */
    public record Result(int rows, String status, String reason, String device, long pickup, long champions, long read,
            long train, long search, long crossValidation, long fit, long evaluate, long publishAndServe, long served,
            Map<String, Object> testScores) {
    }

    private final int rows;
    private final Map<String, String> settings;

    public RetrainLoopBench(int rows, Map<String, String> settings) {
        this.rows = rows;
        this.settings = settings;
    }

    public static FeatureSchema schema() {
        List<FeatureSpec> features = IntStream.range(0, FEATURES).mapToObj(i -> FeatureSpec.numeric("x" + i)).toList();
        return new FeatureSchema(MODEL, FeatureSpec.nominal("y", List.of("no", "yes")), features);
    }

    public Result run() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, String> values = new HashMap<>(settings);
            values.put("bootstrap.servers", broker.bootstrapServers());
            values.putIfAbsent("retrain.window.max-rows", Integer.toString(rows));
            RetrainConfig config = RetrainConfig.of(values).validate();
            broker.createTopic(config.eventsTopic(), 1, Map.of());
            broker.createTopic(config.labelsTopic(), 1, Map.of());
            broker.createTopic(config.modelsTopic(), 1, Map.of("cleanup.policy", "compact"));
            produce(broker, config);
            ServingConfig serving = ServingConfig.defaults().withHttpPort(0)
                    .withBootstrapServers(broker.bootstrapServers()).withModelsTopic(config.modelsTopic())
                    .withPinsTopic(config.pinsTopic());
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (PredictionServer server = PredictionServer.start(serving, registry);
                    Retrainer retrainer = Retrainer.start(config, BatchChallengerTrainer.fromSettings(
                            config.retrainSettings()), registry, 1, (short) 1)) {
                awaitServed(server, 1, 60_000);
                long requested = System.currentTimeMillis();
                request(broker, config, requested);
                TrainingRun run = awaitRun(retrainer, requested, 600_000);
                long served = run.promotedVersion() == null ? -1
                        : awaitServed(server, run.promotedVersion(), 60_000) - requested;
                return result(run, requested, served);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Result result(TrainingRun run, long requested, long served) {
        Map<String, Object> durations = (Map<String, Object>) run.result().getOrDefault("durations", Map.of());
        long finished = run.finishedAt() - requested;
        return new Result(run.rows() == null ? 0 : run.rows(), run.status().code(), run.reason(), run.device(),
                run.startedAt() - requested, run.phases().getOrDefault("champions", 0L),
                run.phases().getOrDefault("read", 0L), run.phases().getOrDefault("train", 0L),
                number(durations.get("searchMillis")), number(durations.get("crossValidationMillis")),
                number(durations.get("fitMillis")), number(durations.get("evaluationMillis")),
                served < 0 ? -1 : served - finished, served,
                (Map<String, Object>) run.result().getOrDefault("testScores", Map.of()));
    }

    private void produce(EmbeddedKafkaBroker broker, RetrainConfig config) {
        Random random = new Random(42);
        FeatureSchema schema = schema();
        OnlineLearner online = LearnerFactory.create(LearnerFactory.DEFAULT_SPEC, schema);
        EventCodec codec = new EventCodec();
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            for (int i = 0; i < rows; i++) {
                double[] x = new double[FEATURES];
                for (int f = 0; f < FEATURES; f++) {
                    x[f] = random.nextGaussian();
                }
                boolean yes = x[0] * x[1] + Math.sin(2 * x[2]) + 0.5 * x[3] - 0.3 * x[4] * x[4] > -0.3;
                if (random.nextDouble() < 0.05) {
                    yes = !yes;
                }
                if (i < rows / 5) {
                    online.learn(x, yes ? 1 : 0);
                }
                ObjectNode event = JSON.createObjectNode().put("id", "e" + i).put("model", MODEL)
                        .put("ts", 1_700_000_000_000L + i * 100L);
                ObjectNode features = event.putObject("features");
                for (int f = 0; f < FEATURES; f++) {
                    features.put("x" + f, x[f]);
                }
                String label = yes ? "yes" : "no";
                if (i % 3 == 0) {
                    producer.send(new ProducerRecord<>(config.labelsTopic(), MODEL, codec.encodeLabel("e" + i, MODEL,
                            label)));
                } else {
                    event.put("label", label);
                }
                producer.send(new ProducerRecord<>(config.eventsTopic(), MODEL, codec.write(event)));
            }
            ModelSnapshot snapshot = new ModelSnapshot(new ModelMetadata(MODEL, 1, online.spec(), schema, Map.of(),
                    rows / 5, rows / 5, null, System.currentTimeMillis(), ModelSnapshotCodec.FORMAT_VERSION),
                    online.snapshot());
            producer.send(new ProducerRecord<>(config.modelsTopic(), MODEL, ModelSnapshotCodec.encode(snapshot)));
        }
    }

    /** A drift monitor's request whose drifting window starts at the first event. */
    private static void request(EmbeddedKafkaBroker broker, RetrainConfig config, long now) {
        ObjectNode request = JSON.createObjectNode().put("model", MODEL).put("reason", "drift").put("partition", 0)
                .put("fromOffset", 0).put("fromTime", 1_700_000_000_000L);
        request.putArray("alerts").addObject().put("kind", "feature").put("feature", "x0").put("statistic", "psi")
                .put("severity", "major");
        try (KafkaProducer<String, byte[]> producer = producer(broker)) {
            producer.send(new ProducerRecord<>(config.requestsTopic(), null, now, MODEL,
                    new EventCodec().write(request)));
        }
    }

    private static TrainingRun awaitRun(Retrainer retrainer, long requested, long timeoutMs)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            var run = retrainer.answered(MODEL, requested);
            if (run.isPresent()) {
                return run.get();
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no run answered the request within " + timeoutMs + " ms");
    }

    /** When the server first answers with {@code version}, epoch ms. */
    private static long awaitServed(PredictionServer server, long version, long timeoutMs)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (server.models().find(MODEL).map(ServedModel::version).orElse(0L) == version) {
                return System.currentTimeMillis();
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("version " + version + " was not served within " + timeoutMs + " ms");
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafkaBroker broker) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
}
