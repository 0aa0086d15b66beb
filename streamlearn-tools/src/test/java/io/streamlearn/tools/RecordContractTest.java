package io.streamlearn.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.topic.Topic;
import io.streamlearn.kafka.CommittedRecords;
import io.streamlearn.runtime.contract.OpenApiContract;
import io.streamlearn.runtime.contract.RecordSchemas;
import io.streamlearn.runtime.metrics.Telemetry;
import io.streamlearn.tools.demo.DemoRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record the whole pipeline writes matches its schema under docs/contracts/schemas: the demo (trainer, server,
 * drift monitor and retrainer on the embedded broker) replays the first 10,000 Electricity rows (labels inline), a
 * client predicts, labels and teaches over HTTP (so labels holds what the server writes, predictions a served one),
 * drift is confirmed and retrained on, the demo asks for one more retrain; then each topic is read back whole. The
 * demo's one port answers the union of the three services' OpenAPI documents, which the calls are checked against.
 */
class RecordContractTest {

    private static final String FEATURES = "{\"date\":0.9,\"day\":\"3\",\"period\":0.5,\"nswprice\":0.06,"
            + "\"nswdemand\":0.4,\"vicprice\":0.003,\"vicdemand\":0.4,\"transfer\":0.4}";
    private static final Map<Topic, String> SCHEMAS = Map.of(
            Topic.EVENTS, RecordSchemas.EVENT,
            Topic.LABELS, RecordSchemas.LABEL,
            Topic.PREDICTIONS, RecordSchemas.PREDICTION,
            Topic.DRIFT_ALERTS, RecordSchemas.DRIFT_ALERT,
            Topic.RETRAIN_REQUESTS, RecordSchemas.RETRAIN_REQUEST,
            Topic.TRAINING_RUNS, RecordSchemas.TRAINING_RUN,
            Topic.DEFINITIONS, RecordSchemas.MODEL_DEFINITION);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    @Test
    void everyRecordThePipelineWritesMatchesItsSchema() throws Exception {
        Dataset electricity = Dataset.read(BundledDatasets.electricityArff(), "electricity", null).limit(10_000);
        DemoRun.Options options = new DemoRun.Options(electricity, "electricity.arff.gz", "trees.HoeffdingTree", 0,
                0, 0, 0, out, "exactly_once_v2", 500);
        try (Telemetry telemetry = Telemetry.create();
                DemoRun demo = DemoRun.start(options, new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8), telemetry.registry())) {
            demo.replayAndAwait();
            OpenApiContract api = OpenApiContract.of(demo.httpPort());
            api.assertDescribesExactly(demo.routes());
            String predicted = api.call("POST", "/v1/models/{name}/predict", "/v1/models/electricity/predict",
                    "{\"id\": \"http-1\", \"features\": " + FEATURES + "}").body();
            assertThat(predicted).contains("\"id\":\"http-1\"");
            assertThat(api.call("POST", "/v1/models/{name}/labels", "/v1/models/electricity/labels",
                    "{\"id\": \"http-1\", \"label\": \"UP\"}").statusCode()).isEqualTo(200);
            assertThat(api.call("POST", "/v1/models/{name}/learn", "/v1/models/electricity/learn",
                    "{\"features\": " + FEATURES + ", \"label\": \"DOWN\"}").statusCode()).isEqualTo(200);
            assertThat(api.call("GET", "/v1/drift/{model}", "/v1/drift/electricity", null).statusCode())
                    .isEqualTo(200);
            demo.retrainAndAwait();
            assertThat(api.call("GET", "/v1/runs", "/v1/runs?model=electricity", null).statusCode()).isEqualTo(200);

            RecordSchemas schemas = RecordSchemas.fromDocs();
            for (Map.Entry<Topic, String> topic : SCHEMAS.entrySet()) {
                List<ConsumerRecord<String, byte[]>> records = CommittedRecords.readAll(demo.bootstrapServers(),
                        topic.getKey().defaultName());
                assertThat(records).as(topic.getKey().defaultName()).isNotEmpty();
                // A tombstone (no value) is no record to validate: it deletes a definition, docs/topics.md.
                records.stream().filter(record -> record.value() != null)
                        .forEach(record -> schemas.assertValid(topic.getValue(), record.value()));
            }
            assertThat(values(demo, Topic.RETRAIN_REQUESTS)).extracting(request -> request.get("reason").asText())
                    .as("both forms of request").contains("drift", "admin");
            assertThat(values(demo, Topic.PREDICTIONS)).extracting(prediction -> prediction.path("source").asText())
                    .as("trainer and served predictions").contains("", "serving");
        }
    }

    private static List<JsonNode> values(DemoRun demo, Topic topic) throws IOException {
        List<JsonNode> values = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : CommittedRecords.readAll(demo.bootstrapServers(),
                topic.defaultName())) {
            values.add(JSON.readTree(record.value()));
        }
        return values;
    }
}
