package io.streamlearn.serve.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two serve replicas on one broker agree on pinned versions through the {@code model-pins} topic, a restarted replica
 * finds the pin again, and clients of both see no failed request while versions arrive and pins change.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class PinTopicIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TOKEN = "replica-admin";
    private static final Map<String, String> AUTHORIZED = Map.of("Authorization", "Bearer " + TOKEN);

    private static EmbeddedKafkaBroker broker;
    private static FeatureSchema schema;
    private static OnlineLearner learner;

    @BeforeAll
    static void loadFixtures() {
        schema = TestModels.linearSchema();
        learner = TestModels.linearLearner();
    }

    @Test
    void replicasAgreeOnPinsAndServeEveryRequestWhileVersionsAndPinsChange() throws Exception {
        broker.createTopic("models-replicas", 1, Map.of("cleanup.policy", "compact"));
        ServingConfig config = ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withBootstrapServers(broker.bootstrapServers()).withModelsTopic("models-replicas")
                .withPinsTopic("pins-replicas").withAdminToken(TOKEN).withKeepVersions(3);
        try (KafkaProducer<String, byte[]> producer = producer();
                PredictionServer first = PredictionServer.start(config, registry());
                PredictionServer second = PredictionServer.start(config, registry())) {
            HttpJson a = new HttpJson(first.port());
            HttpJson b = new HttpJson(second.port());
            publish(producer, 1);
            await().atMost(PATIENCE).until(() -> served(a) == 1 && served(b) == 1);

            AtomicBoolean changing = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> answered = new ArrayList<>();
                for (HttpJson replica : List.of(a, b)) {
                    answered.add(clients.submit(() -> predictWhile(replica, changing)));
                }
                publish(producer, 2);
                publish(producer, 3);
                await().atMost(PATIENCE).until(() -> served(a) == 3 && served(b) == 3);

                Reply promoted = a.send("POST", "/v1/models/linear/versions/2/promote", null, null, AUTHORIZED);
                assertThat(promoted.status()).as(promoted.body()).isEqualTo(200);
                assertThat(served(a)).as("the replica that took the pin serves it at once").isEqualTo(2);
                await().atMost(PATIENCE).until(() -> served(b) == 2);

                publish(producer, 4);
                await().atMost(PATIENCE).until(() -> versions(a).equals("[2,3,4]") && versions(b).equals("[2,3,4]"));
                assertThat(served(a)).isEqualTo(2);
                assertThat(served(b)).isEqualTo(2);

                try (PredictionServer restarted = PredictionServer.start(config, registry())) {
                    HttpJson c = new HttpJson(restarted.port());
                    await().atMost(PATIENCE).until(() -> versions(c).endsWith("4]"));
                    assertThat(served(c)).as("a restarted replica finds the pin").isEqualTo(2);
                }

                Reply unpinned = b.send("DELETE", "/v1/models/linear/pin", null, null, AUTHORIZED);
                assertThat(unpinned.status()).as(unpinned.body()).isEqualTo(200);
                await().atMost(PATIENCE).until(() -> served(a) == 4 && served(b) == 4);
                changing.set(false);
                for (Future<Integer> requests : answered) {
                    assertThat(requests.get()).isPositive();
                }
            } finally {
                changing.set(false);
                clients.shutdown();
            }
        }
    }

    /** Predicts until told to stop; any answer but 200 fails the test. Returns how many were answered. */
    private static int predictWhile(HttpJson replica, AtomicBoolean changing) {
        int answered = 0;
        do {
            Reply reply = replica.post("/v1/models/linear/predict", "{\"features\": {\"x\": 0.5}}");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            Reply infer = replica.post("/v2/models/linear/infer",
                    "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [0.5]}]}");
            assertThat(infer.status()).as(infer.body()).isEqualTo(200);
            answered += 2;
        } while (changing.get());
        return answered;
    }

    private static long served(HttpJson replica) {
        Reply reply = replica.get("/v1/models/linear");
        return reply.status() == 200 ? reply.json().get("version").asLong() : 0;
    }

    private static String versions(HttpJson replica) {
        Reply reply = replica.get("/v1/models/linear");
        return reply.status() == 200 ? reply.json().get("versions").toString() : "";
    }

    private static void publish(KafkaProducer<String, byte[]> producer, long version) throws Exception {
        producer.send(new ProducerRecord<>("models-replicas", TestModels.LINEAR,
                TestModels.encodedSnapshot(schema, learner, version))).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
