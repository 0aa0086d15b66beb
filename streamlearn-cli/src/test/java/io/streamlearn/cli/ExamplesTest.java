package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The client examples under {@code examples/} (examples/README.md), each run as a user runs it, as a subprocess,
 * against a real trainer and prediction server on the embedded broker: the Python, kcat and Java producers' events are
 * learned, the Python and kcat consumers print the committed predictions, and curl and {@code predict.py} get answers
 * over {@code /v1} and {@code /v2}. The programs they need come from Debian packages that {@code bin/test} installs
 * ({@link ExampleTools}); without them the test fails saying what to install.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "electricity";
    private static final int PYTHON_ROWS = 200;
    private static final int KCAT_ROWS = 100;
    private static final int JAVA_ROWS = 100;
    private static final int EVENTS = PYTHON_ROWS + KCAT_ROWS + JAVA_ROWS;
    private static final Duration LEARNING = Duration.ofSeconds(90);
    private static EmbeddedKafkaBroker broker;

    @TempDir
    static Path temp;

    private static ExampleTools tools;
    private static TrainerConfig config;
    private static TrainerApplication trainer;
    private static PredictionServer server;
    private static Set<String> producedIds;

    @BeforeAll
    static void startThePipelineAndRunTheProducers() throws Exception {
        tools = ExampleTools.find(temp);
        Dataset data = Dataset.read(BundledDatasets.electricityArff(), MODEL, null).limit(EVENTS);
        Map<String, String> settings = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "snapshot.interval.ms", "300", "kafka.state.dir", temp.resolve("state").toString()));
        for (String topic : List.of("events", "labels", "predictions", "dlq", "models", "definitions")) {
            settings.put("topic." + topic, "examples." + topic);
        }
        config = TrainerConfig.of(settings);
        TrainerTopics.createMissing(config, 1, (short) 1);
        Map<String, String> serving = new HashMap<>(settings);
        serving.putAll(Map.of("http.host", "127.0.0.1", "http.port", "0", "topic.pins", "examples.pins"));
        trainer = TrainerApplication.start(config, List.of(new ModelDefinition(data.schema(), "trees.HoeffdingTree")),
                new SimpleMeterRegistry());
        server = PredictionServer.start(ServingConfig.fromMap(serving),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

        producedIds = new HashSet<>();
        producePython(data, 0, PYTHON_ROWS);
        produceKcat(data, PYTHON_ROWS, KCAT_ROWS);
        produceJava(data, PYTHON_ROWS + KCAT_ROWS, JAVA_ROWS);
    }

    @AfterAll
    static void stopThePipeline() {
        if (server != null) {
            server.close();
        }
        if (trainer != null) {
            trainer.close();
        }
    }

    @Test
    void eventsOfThePythonKcatAndJavaProducersAreLearnedAndNoneIsDeadLettered() throws Exception {
        await().atMost(LEARNING).until(() -> trainerPredictionIds().size() + deadLetters().size() >= EVENTS);
        assertThat(deadLetters()).as("records refused by the trainer").isEmpty();
        List<String> predicted = trainerPredictionIds();
        assertThat(predicted).as("one trainer prediction per produced event").hasSize(EVENTS)
                .containsExactlyInAnyOrderElementsOf(producedIds);
        await().atMost(LEARNING).until(() -> servedMetadata().map(ModelMetadata::labelsLearned).orElse(0L) == EVENTS);
        assertThat(servedMetadata().orElseThrow().eventsSeen()).isEqualTo(EVENTS);
        assertThat(deadLetters()).as("records refused by the trainer").isEmpty();
    }

    @Test
    void thePythonConsumerPrintsTheCommittedPredictions() throws Exception {
        List<JsonNode> committed = committedPredictions();
        ExampleTools.Result consumed = tools.run(Map.of(), tools.python(), "examples/python/consume_predictions.py",
                "--bootstrap-servers", broker.bootstrapServers(), "--topic", config.predictionsTopic(),
                "--group", "examples-test", "--max", String.valueOf(committed.size()), "--timeout", "60");
        assertThat(jsonLines(consumed.stdout())).isEqualTo(committed);
    }

    @Test
    void kcatConsumesTheCommittedPredictions() throws Exception {
        List<JsonNode> committed = committedPredictions();
        ExampleTools.Result consumed = tools.run(Map.of("BOOTSTRAP", broker.bootstrapServers(),
                "PREDICTIONS_TOPIC", config.predictionsTopic()), "bash", "examples/kcat.sh", "consume",
                String.valueOf(committed.size()));
        assertThat(jsonLines(consumed.stdout())).isEqualTo(committed);
    }

    @Test
    void curlPredictsOverV1AndTheOpenInferenceProtocol() throws Exception {
        await().atMost(LEARNING).until(() -> server.models().find(MODEL).isPresent());
        ExampleTools.Result answered = tools.run(Map.of(), "bash", "examples/curl/predict.sh", baseUrl(), MODEL);
        List<JsonNode> answers = jsonLines(answered.stdout());
        assertThat(answers).hasSize(2);
        assertV1Answer(answers.get(0));
        assertV2Answer(answers.get(1));
    }

    @Test
    void predictPyPredictsOverV1AndTheOpenInferenceProtocol() throws Exception {
        await().atMost(LEARNING).until(() -> server.models().find(MODEL).isPresent());
        ExampleTools.Result answered = tools.run(Map.of(), tools.python(), "examples/python/predict.py",
                "--url", baseUrl(), "--model", MODEL);
        List<String> lines = answered.stdout().lines().toList();
        assertThat(lines).hasSize(4);
        assertV1Answer(JSON.readTree(lines.get(0).substring("v1 ".length())));
        assertThat(lines.get(1)).matches("v1 prediction '(UP|DOWN)' by version [1-9][0-9]*, scores \\{.*");
        assertV2Answer(JSON.readTree(lines.get(2).substring("v2 ".length())));
        assertThat(lines.get(3)).matches("v2 prediction '(UP|DOWN)' by version [1-9][0-9]*, scores \\[.*");
    }

    private static void assertV1Answer(JsonNode answer) {
        assertThat(answer.get("model").asText()).isEqualTo(MODEL);
        assertThat(answer.get("version").asLong()).isPositive();
        assertThat(answer.get("id").asText()).isEqualTo("example-1");
        assertThat(answer.get("prediction").asText()).isIn("UP", "DOWN");
        assertThat(answer.get("scores").has("UP")).as(answer.toString()).isTrue();
        assertThat(answer.get("scores").has("DOWN")).as(answer.toString()).isTrue();
    }

    private static void assertV2Answer(JsonNode answer) {
        assertThat(answer.get("model_name").asText()).isEqualTo(MODEL);
        assertThat(Long.parseLong(answer.get("model_version").asText())).isPositive();
        assertThat(answer.get("id").asText()).isEqualTo("example-2");
        Map<String, JsonNode> outputs = new HashMap<>();
        answer.get("outputs").forEach(output -> outputs.put(output.get("name").asText(), output));
        assertThat(outputs).containsOnlyKeys("predict", "scores");
        assertThat(outputs.get("predict").get("data").get(0).asText()).isIn("UP", "DOWN");
        assertThat(outputs.get("scores").get("shape").toString()).isEqualTo("[1,2]");
        assertThat(outputs.get("scores").get("data")).hasSize(2);
    }

    private static void producePython(Dataset data, int from, int count) throws Exception {
        Path schema = temp.resolve(MODEL + ".schema.json");
        data.schema().write(schema);
        Path csv = temp.resolve("python-events.csv");
        List<String> columns = new ArrayList<>(data.schema().features().stream().map(FeatureSpec::name).toList());
        List<String> lines = new ArrayList<>(List.of(String.join(",", columns) + "," + data.schema().target().name()));
        for (LabeledRow row : data.rows().subList(from, from + count)) {
            List<String> cells = new ArrayList<>();
            columns.forEach(column -> cells.add(String.valueOf(row.features().getOrDefault(column, ""))));
            cells.add(String.valueOf(row.label()));
            lines.add(String.join(",", cells));
        }
        Files.write(csv, lines, StandardCharsets.UTF_8);
        ExampleTools.Result produced = tools.run(Map.of(), tools.python(), "examples/python/produce_events.py",
                "--bootstrap-servers", broker.bootstrapServers(), "--topic", config.eventsTopic(),
                "--labels-topic", config.labelsTopic(), "--schema", schema.toString(), "--data", csv.toString(),
                "--id-prefix", "py-");
        assertThat(produced.stdout()).contains("produced " + count + " events", count + " labels");
        IntStream.range(0, count).forEach(number -> producedIds.add("py-" + number));
    }

    private static void produceKcat(Dataset data, int from, int count) throws Exception {
        Path events = eventsFile(data, from, count, "kcat-");
        tools.run(Map.of("BOOTSTRAP", broker.bootstrapServers(), "EVENTS_TOPIC", config.eventsTopic(), "MODEL", MODEL),
                "bash", "examples/kcat.sh", "produce", events.toString());
    }

    private static void produceJava(Dataset data, int from, int count) throws Exception {
        Path events = eventsFile(data, from, count, "java-");
        // The class path a user gives it: kafka-clients and slf4j-api, nothing of streamlearn.
        String classPath = jarOf(KafkaProducer.class) + File.pathSeparator + jarOf(LoggerFactory.class);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ExampleTools.Result produced = tools.run(Map.of(), java.toString(), "-cp", classPath,
                "examples/java/ProduceEvents.java", broker.bootstrapServers(), config.eventsTopic(), MODEL,
                events.toString());
        assertThat(produced.stdout()).contains("produced " + count + " events");
    }

    /**
     * Events as JSON lines without {@code model}, so that only the record key the example sets names the model (the
     * trainer refuses an event with neither as {@code missing_model}). Stamped now: the embedded broker's retention
     * would delete old-stamped predictions.
     */
    private static Path eventsFile(Dataset data, int from, int count, String idPrefix) throws Exception {
        EventCodec codec = new EventCodec();
        List<String> lines = new ArrayList<>();
        for (int number = 0; number < count; number++) {
            String id = idPrefix + number;
            ObjectNode event = (ObjectNode) JSON.readTree(
                    codec.encodeEvent(id, System.currentTimeMillis(), MODEL, data.rows().get(from + number)));
            event.remove("model");
            lines.add(JSON.writeValueAsString(event));
            producedIds.add(id);
        }
        return Files.write(temp.resolve(idPrefix + "events.jsonl"), lines, StandardCharsets.UTF_8);
    }

    private static String jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static List<String> trainerPredictionIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record
                : CommittedRecords.readAll(broker.bootstrapServers(), config.predictionsTopic())) {
            JsonNode prediction = JSON.readTree(record.value());
            if (!prediction.has("source")) {
                ids.add(prediction.get("id").asText());
            }
        }
        return ids;
    }

    /** Each refused record as its reason header and its value. */
    private static List<String> deadLetters() {
        List<String> refused = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record
                : CommittedRecords.readAll(broker.bootstrapServers(), config.deadLetterTopic())) {
            Header reason = record.headers().lastHeader("reason");
            refused.add((reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8)) + ": "
                    + new String(record.value(), StandardCharsets.UTF_8));
        }
        return refused;
    }

    /** The committed predictions once the trainer has handled every event (served ones may sit among them). */
    private static List<JsonNode> committedPredictions() throws Exception {
        await().atMost(LEARNING).until(() -> trainerPredictionIds().size() + deadLetters().size() >= EVENTS);
        List<JsonNode> predictions = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record
                : CommittedRecords.readAll(broker.bootstrapServers(), config.predictionsTopic())) {
            predictions.add(JSON.readTree(record.value()));
        }
        return predictions;
    }

    private static List<JsonNode> jsonLines(String text) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : text.lines().filter(line -> !line.isBlank()).collect(Collectors.toList())) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private static Optional<ModelMetadata> servedMetadata() {
        return server.models().find(MODEL).map(ServedModel::metadata);
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }
}
