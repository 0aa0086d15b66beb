package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import io.streamlearn.kafka.EmbeddedKafkaExtension;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.trainer.TrainerApplication;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.kafka.TrainerTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop closed over HTTP only: predict with {@code /v1/models/{name}/predict}, then send the same features with
 * their label to {@code /v1/models/{name}/learn}; the trainer learns them and the next snapshot served has.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class LearnOverHttpIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REPLAYED = 300;
    private static final int LEARNED = 50;
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void eventsPostedToLearnAreLearnedAndServedWithTheNextSnapshot() throws Exception {
        Dataset data = Dataset.read(BundledDatasets.electricityArff(), "power", null).limit(REPLAYED + LEARNED);
        Map<String, String> settings = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "snapshot.interval.ms", "300", "kafka.state.dir", temp.resolve("state").toString()));
        for (String topic : List.of("events", "labels", "predictions", "dlq", "models", "definitions")) {
            settings.put("topic." + topic, "learn." + topic);
        }
        TrainerConfig config = TrainerConfig.of(settings);
        TrainerTopics.createMissing(config, 1, (short) 1);
        Map<String, String> serving = new HashMap<>(settings);
        serving.putAll(Map.of("http.host", "127.0.0.1", "http.port", "0", "topic.pins", "learn.pins"));
        try (TrainerApplication trainer = TrainerApplication.start(config,
                List.of(new ModelDefinition(data.schema(), "trees.HoeffdingTree")), new SimpleMeterRegistry());
                PredictionServer server = PredictionServer.start(ServingConfig.fromMap(serving),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                    config.eventsTopic(), config.labelsTopic(), "power", 0, 0))) {
                replayer.replay(data.limit(REPLAYED), System::currentTimeMillis);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> eventsSeen(server) == REPLAYED);
            String base = "http://127.0.0.1:" + server.port() + "/v1/models/power/";

            EventCodec codec = new EventCodec();
            ArrayNode events = JSON.createArrayNode();
            for (int row = REPLAYED; row < REPLAYED + LEARNED; row++) {
                JsonNode event = JSON.readTree(codec.encodeEvent("h" + row, 0, "power", data.rows().get(row)));
                ObjectNode instance = JSON.createObjectNode();
                instance.set("features", event.get("features"));
                HttpResponse<String> predicted = post(base + "predict", instance);
                assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
                ObjectNode learn = JSON.createObjectNode().put("id", "h" + row);
                learn.set("features", event.get("features"));
                learn.set("label", event.get("label"));
                events.add(learn);
            }
            HttpResponse<String> learned = post(base + "learn", JSON.createObjectNode().set("events", events));
            assertThat(learned.statusCode()).as(learned.body()).isEqualTo(200);
            assertThat(JSON.readTree(learned.body()).get("accepted").asInt()).isEqualTo(LEARNED);

            await().atMost(Duration.ofSeconds(60)).until(() -> eventsSeen(server) == REPLAYED + LEARNED);
            ModelMetadata metadata = server.models().find("power").orElseThrow().metadata();
            assertThat(metadata.labelsLearned()).isEqualTo(REPLAYED + LEARNED);

            ObjectNode unknown = JSON.createObjectNode().put("label", "UP");
            unknown.putObject("features").put("no_such_feature", 1.0);
            HttpResponse<String> refused = post(base + "learn", unknown);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("unknown_feature");
            ObjectNode unlabelled = JSON.createObjectNode();
            unlabelled.set("features", events.get(0).get("features"));
            HttpResponse<String> noLabel = post(base + "learn", unlabelled);
            assertThat(noLabel.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(noLabel.body()).get("error").asText()).isEqualTo("missing_label");
        }
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.deadLetterTopic()))
                .as("nothing refused by the trainer: the server checked it all").isEmpty();
    }

    private static long eventsSeen(PredictionServer server) {
        return server.models().find("power").map(ServedModel::metadata).map(ModelMetadata::eventsSeen).orElse(0L);
    }

    private HttpResponse<String> post(String url, JsonNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
