package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka security passes through (issue #7): on a broker that requires SASL/PLAIN, a client with a wrong password or
 * none is refused, while the trainer and a prediction server given the credentials under {@code kafka.*} work end to
 * end — topics created, events learned, predictions committed, the model served.
 */
class KafkaAuthenticationIntegrationTest {

    private static final String USER = "streamlearn";
    private static final String PASSWORD = "trainer-secret";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int EVENTS = 300;

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.startWithSaslPlain(Map.of(USER, PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void refusesAClientWithAWrongPassword() {
        try (Admin admin = admin(broker.clientProperties(USER, "guessed"))) {
            assertThatThrownBy(() -> admin.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void refusesAClientThatDoesNotAuthenticateAtAll() {
        try (Admin admin = admin(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000"))) {
            assertThatThrownBy(() -> admin.listTopics().names().get()).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void trainerAndServerWorkWithTheCredentialsPassedThrough() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "application.id", "trainer-sasl",
                "snapshot.interval.ms", "300",
                "kafka.state.dir", stateDir.toString()));
        broker.clientProperties(USER, PASSWORD).forEach((key, value) -> settings.put("kafka." + key, value));
        TrainerConfig config = TrainerConfig.of(settings);
        TrainerTopics.createMissing(config, 1, (short) 1);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (TrainerApplication trainer = TrainerApplication.start(config,
                        List.of(new ModelDefinition(ToyModel.schema(), "bayes.NaiveBayes")), new SimpleMeterRegistry());
                PredictionServer server = PredictionServer.start(ServingConfig.fromMap(settings)
                        .withHttpHost("127.0.0.1").withHttpPort(0), registry)) {
            produceEvents(config);
            await().atMost(PATIENCE).until(() -> CommittedRecords.readAll(broker.bootstrapServers(),
                    config.predictionsTopic(), broker.clientProperties(USER, PASSWORD)).size() == EVENTS);

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest predict = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/v1/models/toy/predict"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"features\": {\"x\": 2.0}}")).build();
            await().atMost(PATIENCE).until(() -> http.send(predict, HttpResponse.BodyHandlers.ofString())
                    .statusCode() == 200);
            assertThat(http.send(predict, HttpResponse.BodyHandlers.ofString()).body())
                    .contains("\"prediction\":\"yes\"");
        }
    }

    private static void produceEvents(TrainerConfig config) {
        Map<String, Object> properties = new HashMap<>(broker.clientProperties(USER, PASSWORD));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                producer.send(ToyModel.event(config.eventsTopic(), i));
            }
        }
    }

    private static Admin admin(Map<String, String> clientProperties) {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(properties);
    }
}
