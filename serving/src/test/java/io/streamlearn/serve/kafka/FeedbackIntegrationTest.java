package io.streamlearn.serve.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.Label;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Served predictions land in {@code predictions} and posted labels in {@code labels}, as the trainer reads them. */
@ExtendWith(EmbeddedKafkaExtension.class)
class FeedbackIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static EmbeddedKafkaBroker broker;
    private static PredictionServer server;
    private static HttpJson http;
    private static String features;

    @BeforeAll
    static void serveFromTheBroker() throws Exception {
        broker.createTopic("models-fb", 1, Map.of("cleanup.policy", "compact"));
        broker.createTopic("predictions-fb", 1, Map.of());
        broker.createTopic("labels-fb", 1, Map.of());
        broker.createTopic("labels-token-fb", 1, Map.of());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>("models-fb", TestModels.ELECTRICITY, TestModels.encodedSnapshot(
                    TestModels.electricity().schema(), TestModels.electricityLearner(TestModels.TRAINING_ROWS), 2)))
                    .get();
        }
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withBootstrapServers(broker.bootstrapServers()).withModelsTopic("models-fb")
                .withPinsTopic("pins-fb").withPredictionsTopic("predictions-fb").withLabelsTopic("labels-fb"),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        http = new HttpJson(server.port());
        await().atMost(PATIENCE).until(() -> http.get("/v1/models/electricity").status() == 200);
        features = TestModels.features(TestModels.unseenRows(1).get(0)).toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyServedPredictionIsLoggedWithItsIdAndSource() {
        Reply single = http.post("/v1/models/electricity/predict", "{\"id\": \"e-1\", \"features\": " + features
                + "}");
        Reply generated = http.post("/v1/models/electricity/predict", "{\"features\": " + features + "}");
        Reply batch = http.post("/v1/models/electricity/predict", "{\"ids\": [\"b-1\", 17], \"instances\": ["
                + features + ", " + features + "]}");
        Reply infer = http.post("/v2/models/electricity/infer", "{\"id\": \"req-9\", \"inputs\": [{\"name\":"
                + " \"day\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"1\", \"2\"]}]}");
        assertThat(List.of(single, generated, batch, infer)).allMatch(reply -> reply.status() == 200);
        String generatedId = generated.json().get("id").asText();
        assertThat(generatedId).matches("[0-9a-f-]{36}");
        assertThat(batch.json().get("predictions").get(1).get("id").asText()).isEqualTo("17");

        List<ConsumerRecord<String, byte[]>> logged = readAll("predictions-fb", 6);

        assertThat(logged).allMatch(record -> record.key().equals("electricity"));
        Map<String, JsonNode> byId = logged.stream().map(record -> json(record.value()))
                .collect(Collectors.toMap(node -> node.get("id").asText(), node -> node));
        assertThat(byId).containsOnlyKeys("e-1", generatedId, "b-1", "17", "req-9:0", "req-9:1");
        JsonNode first = byId.get("e-1");
        assertThat(first.get("source").asText()).isEqualTo("serving");
        assertThat(first.get("model").asText()).isEqualTo("electricity");
        assertThat(first.get("version").asLong()).isEqualTo(2);
        assertThat(first.get("prediction")).isEqualTo(single.json().get("prediction"));
        assertThat(first.get("scores")).isEqualTo(single.json().get("scores"));
        assertThat(first.get("ts").asLong()).isPositive();
    }

    @Test
    void labelsArePostedToTheLabelsTopicAsTheTrainerReadsThem() throws Exception {
        Reply one = http.post("/v1/models/electricity/labels", "{\"id\": \"e-1\", \"label\": \"UP\"}");
        Reply two = http.post("/v1/models/electricity/labels",
                "{\"labels\": [{\"id\": \"b-1\", \"label\": \"DOWN\"}, {\"id\": 17, \"label\": \"UP\"}]}");
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(one.json().toString()).isEqualTo("{\"model\":\"electricity\",\"accepted\":1}");
        assertThat(two.json().get("accepted").asInt()).isEqualTo(2);

        assertLabelError(http.post("/v1/models/electricity/labels", "{\"id\": \"x\", \"label\": \"SIDEWAYS\"}"),
                "invalid_label");
        assertLabelError(http.post("/v1/models/electricity/labels", "{\"label\": \"UP\"}"), "missing_id");
        assertLabelError(http.post("/v1/models/electricity/labels", "{\"id\": \"x\"}"), "missing_label");
        assertThat(http.post("/v1/models/gold/labels", "{\"id\": \"x\", \"label\": \"UP\"}").status())
                .isEqualTo(404);

        List<ConsumerRecord<String, byte[]>> labels = readAll("labels-fb", 3);
        EventCodec codec = new EventCodec();
        List<String> decoded = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : labels) {
            assertThat(record.key()).isEqualTo("electricity");
            Label label = codec.decodeLabel(record.value(), record.key());
            decoded.add(label.id() + "=" + label.label().asText() + "@" + label.model());
        }
        assertThat(decoded).containsExactly("e-1=UP@electricity", "b-1=DOWN@electricity", "17=UP@electricity");
    }

    @Test
    void aServerWithALabelsTokenProducesTheLabelsThatBearIt() {
        try (PredictionServer guarded = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1")
                .withHttpPort(0).withBootstrapServers(broker.bootstrapServers()).withModelsTopic("models-fb")
                .withPinsTopic("pins-fb").withPredictionsTopic("predictions-fb").withLabelsTopic("labels-token-fb")
                .withLabelsToken("labels-t0ken"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            HttpJson guardedHttp = new HttpJson(guarded.port());
            await().atMost(PATIENCE).until(() -> guardedHttp.get("/v1/models/electricity").status() == 200);
            String label = "{\"id\": \"t-1\", \"label\": \"UP\"}";

            Reply anonymous = guardedHttp.post("/v1/models/electricity/labels", label);
            Reply bearing = guardedHttp.send("POST", "/v1/models/electricity/labels", HttpJson.JSON_TYPE, label,
                    Map.of("Authorization", "Bearer labels-t0ken"));

            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(bearing.status()).as(bearing.body()).isEqualTo(200);
            List<ConsumerRecord<String, byte[]>> produced = readAll("labels-token-fb", 1);
            assertThat(produced).hasSize(1);
            assertThat(new String(produced.get(0).value(), StandardCharsets.UTF_8)).contains("t-1");
        }
    }

    private static void assertLabelError(Reply reply, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().get("error").asText()).isEqualTo(code);
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return TestModels.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
