package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.cli.replay.EventReplayer;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.chunk.ChunkReassembler;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelMetadata;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.ShardAssembler;
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
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharded forest on a real broker: the trainer's shards learn in their own tasks, every event gets exactly one
 * prediction, and the prediction server serves each version only once all its shards are in, voting as the shards'
 * states on the topic do together.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ShardedServingIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "forest";
    private static final int EVENTS = 1500;
    private static final int SHARDS = 3;
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aShardedForestIsTrainedInItsShardsAndServedWhole() throws Exception {
        Dataset data = Dataset.read(BundledDatasets.electricityArff(), MODEL, null).limit(EVENTS);
        Map<String, String> settings = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "application.id", "sharded-test", "snapshot.interval.ms", "300", "shard.enabled", "true",
                "kafka.state.dir", temp.resolve("state").toString()));
        for (String topic : List.of("events", "labels", "predictions", "dlq", "models", "definitions")) {
            settings.put("topic." + topic, "sharded." + topic);
        }
        TrainerConfig config = TrainerConfig.of(settings);
        TrainerTopics.createMissing(config, 3, (short) 1);
        ModelDefinition forest = new ModelDefinition(data.schema(), "meta.AdaptiveRandomForest -s 6")
                .withShards(SHARDS);
        Map<String, String> serving = new HashMap<>(settings);
        serving.putAll(Map.of("http.host", "127.0.0.1", "http.port", "0", "topic.pins", "sharded.pins"));
        try (TrainerApplication trainer = TrainerApplication.start(config, List.of(forest), new SimpleMeterRegistry());
                PredictionServer server = PredictionServer.start(ServingConfig.fromMap(serving),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            try (EventReplayer replayer = new EventReplayer(broker.bootstrapServers(), new EventReplayer.ReplayOptions(
                    config.eventsTopic(), config.labelsTopic(), MODEL, 0, 0))) {
                replayer.replay(data, System::currentTimeMillis);
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> eventsSeen(server) == EVENTS);
            ModelMetadata served = server.models().find(MODEL).orElseThrow().metadata();
            assertThat(served.shards()).isEqualTo(SHARDS);
            assertThat(served.labelsLearned()).isEqualTo(EVENTS);

            HttpResponse<String> described = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/v1/models/" + MODEL)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(described.body()).path("metadata").path("shards").asInt()).isEqualTo(SHARDS);

            ModelSnapshot assembled = assembledFromTopic(config.modelsTopic(), served.version());
            OnlineLearner shardsTogether = assembled.restoreLearner();
            FeatureEncoder encoder = new FeatureEncoder(data.schema());
            EventCodec codec = new EventCodec();
            for (int row = 0; row < 20; row++) {
                JsonNode event = JSON.readTree(codec.encodeEvent("p" + row, 0, MODEL, data.rows().get(row)));
                ObjectNode instance = JSON.createObjectNode();
                instance.set("features", event.get("features"));
                HttpResponse<String> predicted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.port() + "/v1/models/" + MODEL + "/predict")).header("Content-Type",
                        "application/json").POST(HttpRequest.BodyPublishers.ofString(instance.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
                Prediction expected = shardsTogether.predict(encoder.encodeFeatures((ObjectNode) event.get("features")));
                JsonNode scores = JSON.readTree(predicted.body()).get("scores");
                for (int label = 0; label < 2; label++) {
                    assertThat(scores.get(data.schema().target().values().get(label)).asDouble())
                            .isEqualTo(expected.scores()[label]);
                }
            }
        }
        // The trainer's predictions; those the server wrote for the requests above say "source": "serving".
        Map<String, Long> perId = CommittedRecords.readAll(broker.bootstrapServers(), config.predictionsTopic())
                .stream().map(ShardedServingIntegrationTest::json).filter(prediction -> !prediction.has("source"))
                .collect(Collectors.groupingBy(prediction -> prediction.get("id").asText(), Collectors.counting()));
        assertThat(perId.size()).isEqualTo(EVENTS);
        assertThat(perId.values()).containsOnly(1L);
        assertThat(CommittedRecords.readAll(broker.bootstrapServers(), config.deadLetterTopic())).isEmpty();
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The model's version put together, independently of the server, from the records on the models topic. */
    private ModelSnapshot assembledFromTopic(String topic, long version) {
        ChunkReassembler chunks = new ChunkReassembler(BlobChunking.defaults());
        ShardAssembler shards = new ShardAssembler();
        Optional<ModelSnapshot> found = Optional.empty();
        for (ConsumerRecord<String, byte[]> record : CommittedRecords.readAll(broker.bootstrapServers(), topic)) {
            Optional<ModelSnapshot> complete = chunks.accept(record.key(), record.value())
                    .flatMap(blob -> shards.accept(blob.key(), ModelSnapshotCodec.decode(blob.value())));
            if (complete.isPresent() && complete.get().metadata().version() == version) {
                found = complete;
            }
        }
        return found.orElseThrow(() -> new AssertionError("version " + version + " is not whole on " + topic));
    }

    private static long eventsSeen(PredictionServer server) {
        return server.models().find(MODEL).map(ServedModel::metadata).map(ModelMetadata::eventsSeen).orElse(0L);
    }
}
