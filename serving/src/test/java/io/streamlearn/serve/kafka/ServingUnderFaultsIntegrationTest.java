package io.streamlearn.serve.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Serving through faults (issue #7): under concurrent load on a healthy replica, a corrupt snapshot, a model swap, the
 * restart of another replica and a broker outage fail no request; while the broker is away every replica answers from
 * the version it holds and its readiness says what is degraded; once the broker is back, new versions arrive again.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ServingUnderFaultsIntegrationTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TOPIC = "models-faults";

    private static EmbeddedKafkaBroker broker;
    private static FeatureSchema schema;
    private static OnlineLearner learner;

    @BeforeAll
    static void loadFixtures() {
        schema = TestModels.linearSchema();
        learner = TestModels.linearLearner();
    }

    @Test
    void healthyReplicasFailNoRequestThroughCorruptSnapshotsSwapsRestartsAndABrokerOutage() throws Exception {
        broker.createTopic(TOPIC, 1, Map.of("cleanup.policy", "compact"));
        ServingConfig config = ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withBootstrapServers(broker.bootstrapServers()).withModelsTopic(TOPIC).withPinsTopic("pins-faults")
                .withKafkaProperties(Map.of("reconnect.backoff.max.ms", "500"));
        try (PredictionServer healthy = PredictionServer.start(config, registry())) {
            PredictionServer other = PredictionServer.start(config, registry());
            HttpJson a = new HttpJson(healthy.port());
            HttpJson first = new HttpJson(other.port());
            publish(1);
            await().atMost(PATIENCE).until(() -> served(a) == 1 && served(first) == 1);

            AtomicBoolean loading = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> answered = new ArrayList<>();
                answered.add(clients.submit(() -> predictWhile(a, loading)));
                answered.add(clients.submit(() -> predictWhile(a, loading)));

                publishRaw("not a snapshot".getBytes());
                publish(2);
                await().atMost(PATIENCE).until(() -> served(a) == 2);
                assertThat(healthy.snapshots().rejectedCount()).isEqualTo(1);

                other.close();
                other = PredictionServer.start(config, registry());
                HttpJson b = new HttpJson(other.port());
                await().atMost(PATIENCE).until(() -> served(b) == 2);
                assertThat(ready(b).get("status").asText()).isEqualTo("UP");

                broker.stop();
                for (HttpJson replica : List.of(a, b)) {
                    await().atMost(PATIENCE).until(() -> ready(replica).get("status").asText().equals("DEGRADED"));
                    Reply readiness = replica.get("/health/ready");
                    assertThat(readiness.status()).as("degraded, still in rotation").isEqualTo(200);
                    await().atMost(PATIENCE).until(() -> ready(replica).path("degraded").toString().contains(TOPIC));
                    assertThat(readiness.json().get("degraded").toString()).contains("no answer from Kafka");
                    assertThat(replica.post("/v1/models/linear/predict", "{\"features\": {\"x\": 0.5}}").status())
                            .isEqualTo(200);
                }

                broker.restart();
                for (HttpJson replica : List.of(a, b)) {
                    await().atMost(PATIENCE).until(() -> ready(replica).get("status").asText().equals("UP"));
                }
                publish(3);
                await().atMost(PATIENCE).until(() -> served(a) == 3 && served(b) == 3);

                loading.set(false);
                for (Future<Integer> requests : answered) {
                    assertThat(requests.get()).as("requests answered 200 throughout").isPositive();
                }
            } finally {
                loading.set(false);
                clients.shutdown();
                other.close();
            }
        }
    }

    /** Predicts until told to stop; any answer but 200 fails the test. Returns how many were answered. */
    private static int predictWhile(HttpJson replica, AtomicBoolean loading) {
        int answered = 0;
        do {
            Reply reply = replica.post("/v1/models/linear/predict", "{\"features\": {\"x\": 0.5}}");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            answered++;
        } while (loading.get());
        return answered;
    }

    private static JsonNode ready(HttpJson replica) {
        return replica.get("/health/ready").json();
    }

    private static long served(HttpJson replica) {
        Reply reply = replica.get("/v1/models/linear");
        return reply.status() == 200 ? reply.json().get("version").asLong() : 0;
    }

    private static void publish(long version) throws Exception {
        publishRaw(TestModels.encodedSnapshot(schema, learner, version));
    }

    /** A fresh producer each time: one created before the outage may still be waiting out its metadata backoff. */
    private static void publishRaw(byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(TOPIC, TestModels.LINEAR, value)).get();
        }
    }

    private static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
