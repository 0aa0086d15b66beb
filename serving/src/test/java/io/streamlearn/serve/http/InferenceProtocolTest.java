package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.PredictionServer;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.fixtures.HttpJson;
import io.streamlearn.serve.fixtures.HttpJson.Reply;
import io.streamlearn.serve.fixtures.TestModels;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol (KServe V2 REST) routes, with requests and answers shaped as the protocol's text
 * describes them ({@code $inference_request}, {@code $inference_response}, {@code $metadata_model_response},
 * {@code $inference_error_response}).
 */
class InferenceProtocolTest {

    private static final String INFER = "/v2/models/electricity/infer";
    private static final int MAX_BATCH = 50;

    private static FeatureSchema schema;
    private static OnlineLearner trained;
    private static OnlineLearner linear;
    private static PredictionServer server;
    private static HttpJson http;

    @BeforeAll
    static void serveTrainedModels() {
        schema = TestModels.electricity().schema();
        trained = TestModels.electricityLearner(TestModels.TRAINING_ROWS);
        linear = TestModels.linearLearner();
        server = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1").withHttpPort(0)
                .withMaxBatchInstances(MAX_BATCH), new ModelRegistry(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server.snapshots().load(TestModels.ELECTRICITY, TestModels.encodedSnapshot(schema, trained, 3), "test");
        server.snapshots().load(TestModels.LINEAR, TestModels.encodedSnapshot(TestModels.linearSchema(), linear, 1),
                "test");
        http = new HttpJson(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void serverHealthAndMetadata() {
        assertJson(http.get("/v2/health/live"), 200, "{\"live\":true}");
        assertJson(http.get("/v2/health/ready"), 200, "{\"ready\":true}");
        Reply metadata = http.get("/v2");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.json().get("name").asText()).isEqualTo("streamlearn");
        assertThat(metadata.json().get("extensions").isArray()).isTrue();
    }

    @Test
    void serverIsNotReadyWithoutAModel() {
        try (PredictionServer empty = PredictionServer.start(ServingConfig.defaults().withHttpHost("127.0.0.1")
                .withHttpPort(0), new ModelRegistry(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            assertJson(new HttpJson(empty.port()).get("/v2/health/ready"), 400, "{\"ready\":false}");
        }
    }

    @Test
    void modelMetadataListsOneInputPerFeatureInSchemaOrderAndTheOutputs() {
        Reply reply = http.get("/v2/models/electricity");

        assertJson(reply, 200, "{\"name\":\"electricity\",\"versions\":[\"3\"],\"platform\":\"streamlearn\","
                + "\"inputs\":["
                + "{\"name\":\"date\",\"datatype\":\"FP64\",\"shape\":[-1]},"
                + "{\"name\":\"day\",\"datatype\":\"BYTES\",\"shape\":[-1]},"
                + "{\"name\":\"period\",\"datatype\":\"FP64\",\"shape\":[-1]},"
                + "{\"name\":\"nswprice\",\"datatype\":\"FP64\",\"shape\":[-1]},"
                + "{\"name\":\"nswdemand\",\"datatype\":\"FP64\",\"shape\":[-1]},"
                + "{\"name\":\"vicprice\",\"datatype\":\"FP64\",\"shape\":[-1]},"
                + "{\"name\":\"vicdemand\",\"datatype\":\"FP64\",\"shape\":[-1]},"
                + "{\"name\":\"transfer\",\"datatype\":\"FP64\",\"shape\":[-1]}],"
                + "\"outputs\":["
                + "{\"name\":\"predict\",\"datatype\":\"BYTES\",\"shape\":[-1]},"
                + "{\"name\":\"scores\",\"datatype\":\"FP64\",\"shape\":[-1,2]}]}");
        assertThat(http.get("/v2/models/electricity/versions/3").json()).isEqualTo(reply.json());
    }

    @Test
    void modelReadyForAServedModelAndVersion() {
        assertJson(http.get("/v2/models/electricity/ready"), 200, "{\"name\":\"electricity\",\"ready\":true}");
        assertJson(http.get("/v2/models/electricity/versions/3/ready"), 200,
                "{\"name\":\"electricity\",\"ready\":true}");
        assertError(http.get("/v2/models/gold/ready"), 404, "gold");
        assertError(http.get("/v2/models/electricity/versions/2/ready"), 404, "'2'");
    }

    @Test
    void infersABatchFromOneTensorPerFeatureAndEchoesTheId() {
        List<LabeledRow> rows = TestModels.unseenRows(20);
        ObjectNode request = TestModels.JSON.createObjectNode().put("id", "42");
        request.set("inputs", featureTensors(rows));

        Reply reply = http.post(INFER, request);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("model_name").asText()).isEqualTo("electricity");
        assertThat(body.get("model_version").asText()).isEqualTo("3");
        assertThat(body.get("id").asText()).isEqualTo("42");
        assertOutputsMatchTheLearner(body.get("outputs"), rows);
    }

    @Test
    void infersFromOneMatrixInputInMetadataColumnOrder() {
        List<LabeledRow> rows = TestModels.unseenRows(20);
        ObjectNode matrix = TestModels.JSON.createObjectNode().put("name", "input").put("datatype", "FP32");
        matrix.putArray("shape").add(rows.size()).add(schema.features().size());
        ArrayNode data = matrix.putArray("data");
        for (LabeledRow row : rows) {
            ArrayNode values = data.addArray();
            for (double value : TestModels.encode(schema, row)) {
                values.add(value);
            }
        }
        ObjectNode request = TestModels.JSON.createObjectNode();
        request.putArray("inputs").add(matrix);

        Reply reply = http.post(INFER, request);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertOutputsMatchTheLearner(reply.json().get("outputs"), rows);
    }

    /**
     * The binary tensor data extension, from the protocol's example: the JSON object, then each binary tensor's
     * elements little-endian; the answer equals the one to the same tensors given as JSON.
     */
    @Test
    void infersFromBinaryTensorDataAsFromTheSameTensorsInJson() {
        List<LabeledRow> rows = TestModels.unseenRows(20);
        int features = schema.features().size();
        ByteBuffer matrix = ByteBuffer.allocate(rows.size() * features * 8).order(ByteOrder.LITTLE_ENDIAN);
        ObjectNode jsonTensor = TestModels.JSON.createObjectNode().put("name", "input").put("datatype", "FP64");
        jsonTensor.putArray("shape").add(rows.size()).add(features);
        ArrayNode data = jsonTensor.putArray("data");
        for (LabeledRow row : rows) {
            for (double value : TestModels.encode(schema, row)) {
                matrix.putDouble(value);
                data.add(value);
            }
        }
        ObjectNode binaryTensor = jsonTensor.deepCopy();
        binaryTensor.remove("data");
        binaryTensor.putObject("parameters").put("binary_data_size", matrix.capacity());
        ObjectNode header = TestModels.JSON.createObjectNode().put("id", "b-1");
        header.putArray("inputs").add(binaryTensor);
        ObjectNode json = TestModels.JSON.createObjectNode().put("id", "b-1");
        json.putArray("inputs").add(jsonTensor);

        Reply binary = postBinary(INFER, header.toString(), matrix.array());

        assertThat(binary.status()).as(binary.body()).isEqualTo(200);
        assertOutputsMatchTheLearner(binary.json().get("outputs"), rows);
        assertThat(binary.json()).isEqualTo(http.post(INFER, json).json());
    }

    @Test
    void binaryTensorsMixWithJsonOnesAndCarryEveryDatatype() {
        List<LabeledRow> rows = TestModels.unseenRows(3);
        ArrayNode inputs = featureTensors(rows);
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        for (JsonNode input : inputs) {
            ObjectNode tensor = (ObjectNode) input;
            if (tensor.get("datatype").asText().equals("BYTES")) {
                for (JsonNode value : tensor.remove("data")) {
                    byte[] text = value.asText().getBytes(StandardCharsets.UTF_8);
                    binary.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(text.length).array());
                    binary.writeBytes(text);
                }
                tensor.putObject("parameters").put("binary_data_size", binary.size());
                break;
            }
        }
        ObjectNode header = TestModels.JSON.createObjectNode();
        header.set("inputs", inputs);

        Reply reply = postBinary(INFER, header.toString(), binary.toByteArray());

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertOutputsMatchTheLearner(reply.json().get("outputs"), rows);
    }

    @Test
    void malformedBinaryRequestsAreRefusedNamingTheFault() {
        String header = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"FP64\", "
                + "\"parameters\": {\"binary_data_size\": 16}}]}";
        byte[] two = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.5).putDouble(0.25).array();
        Reply served = postBinary("/v2/models/linear/infer", header, two);
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        assertThat(served.json().get("outputs").get(0).get("shape").toString()).isEqualTo("[2]");

        assertError(postBinary("/v2/models/linear/infer", header, Arrays.copyOf(two, 8)), 400, "binary");
        assertError(postBinary("/v2/models/linear/infer", header, Arrays.copyOf(two, 24)), 400, "beyond");
        assertError(postBinary("/v2/models/linear/infer", header.replace("16}", "8}"), Arrays.copyOf(two, 8)), 400,
                "16 bytes");
        assertError(http.sendBytes("POST", "/v2/models/linear/infer", "application/octet-stream", two, Map.of()), 400,
                "Inference-Header-Content-Length");
        assertError(http.sendBytes("POST", "/v2/models/linear/infer", "application/octet-stream", two,
                Map.of("Inference-Header-Content-Length", "99")), 400, "Inference-Header-Content-Length");
        assertError(http.post("/v2/models/linear/infer", header), 400, "binary_data_size");
    }

    private static Reply postBinary(String path, String header, byte[] tensors) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(json, json.length + tensors.length);
        System.arraycopy(tensors, 0, body, json.length, tensors.length);
        return http.sendBytes("POST", path, "application/octet-stream", body,
                Map.of("Inference-Header-Content-Length", Integer.toString(json.length)));
    }

    @Test
    void returnsOnlyTheRequestedOutputs() {
        ObjectNode request = TestModels.JSON.createObjectNode();
        request.set("inputs", featureTensors(TestModels.unseenRows(3)));
        request.putArray("outputs").addObject().put("name", "scores");

        JsonNode outputs = http.post("/v2/models/electricity/versions/3/infer", request).json().get("outputs");

        assertThat(outputs).hasSize(1);
        assertThat(outputs.get(0).get("name").asText()).isEqualTo("scores");
        assertThat(outputs.get(0).get("shape").toString()).isEqualTo("[3,2]");
    }

    @Test
    void regressionPredictsFp64Values() {
        Reply reply = http.post("/v2/models/linear/infer", """
                {"inputs": [{"name": "x", "shape": [2], "datatype": "FP64", "data": [0.25, 0.5]}]}""");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode predict = reply.json().get("outputs").get(0);
        assertThat(predict.get("name").asText()).isEqualTo("predict");
        assertThat(predict.get("datatype").asText()).isEqualTo("FP64");
        assertThat(predict.get("shape").toString()).isEqualTo("[2]");
        assertThat(predict.get("data").get(1).asDouble()).isEqualTo(linear.predict(new double[] {0.5}).value());
        assertThat(reply.json().get("outputs")).hasSize(1);
    }

    @Test
    void errorsAreTheProtocolsErrorObjectNamingTheFieldAtFault() {
        assertError(http.post("/v2/models/gold/infer", "{\"inputs\": []}"), 404, "gold");
        assertError(http.post("/v2/models/electricity/versions/9/infer", "{\"inputs\": []}"), 404, "'9'");
        assertError(http.get("/v2/models/electricity/versions/latest"), 404, "latest");
        assertError(http.post(INFER, "{\"inputs\": ["), 400, "");
        assertError(http.post(INFER, "{\"inputs\": []}"), 400, "inputs");
        assertError(http.post(INFER, """
                {"inputs": [{"name": "weather", "shape": [1], "datatype": "FP64", "data": [1]}]}"""), 400, "weather");
        assertError(http.post(INFER, """
                {"inputs": [{"name": "day", "shape": [1], "datatype": "FP64", "data": [1]}]}"""), 400, "day");
        assertError(http.post(INFER, """
                {"inputs": [{"name": "day", "shape": [1], "datatype": "BYTES", "data": ["9"]}]}"""), 400, "day");
        assertError(http.post("/v2/models/linear/infer", """
                {"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [null]}]}"""), 400, "'x'");
        assertError(http.post("/v2/models/linear/infer", """
                {"inputs": [{"name": "x", "shape": [1], "datatype": "FP64", "data": [1]}],
                 "outputs": [{"name": "scores"}]}"""), 400, "scores");
        assertError(http.send("POST", INFER, "text/plain", "{}"), 415, "");
        assertError(http.get("/v2/models"), 404, "");
    }

    @Test
    void batchOverTheInstanceLimitIs413() {
        ObjectNode request = TestModels.JSON.createObjectNode();
        request.putArray("inputs").addObject().put("name", "x").put("datatype", "FP64")
                .putArray("shape").add(MAX_BATCH + 1);
        ArrayNode data = ((ObjectNode) request.get("inputs").get(0)).putArray("data");
        for (int i = 0; i <= MAX_BATCH; i++) {
            data.add(0.5);
        }

        assertError(http.post("/v2/models/linear/infer", request), 413, String.valueOf(MAX_BATCH));
    }

    private static ArrayNode featureTensors(List<LabeledRow> rows) {
        ArrayNode inputs = TestModels.JSON.createArrayNode();
        for (FeatureSpec feature : schema.features()) {
            ObjectNode tensor = inputs.addObject().put("name", feature.name())
                    .put("datatype", feature.isNominal() ? "BYTES" : "FP64");
            tensor.putArray("shape").add(rows.size());
            ArrayNode data = tensor.putArray("data");
            rows.forEach(row -> data.add(TestModels.features(row).get(feature.name())));
        }
        return inputs;
    }

    private static void assertOutputsMatchTheLearner(JsonNode outputs, List<LabeledRow> rows) {
        assertThat(outputs).hasSize(2);
        JsonNode predict = outputs.get(0);
        JsonNode scores = outputs.get(1);
        assertThat(predict.get("name").asText()).isEqualTo("predict");
        assertThat(predict.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(predict.get("shape").toString()).isEqualTo("[" + rows.size() + "]");
        assertThat(scores.get("name").asText()).isEqualTo("scores");
        assertThat(scores.get("datatype").asText()).isEqualTo("FP64");
        assertThat(scores.get("shape").toString()).isEqualTo("[" + rows.size() + ",2]");
        List<String> classes = schema.target().values();
        for (int i = 0; i < rows.size(); i++) {
            Prediction expected = trained.predict(TestModels.encode(schema, rows.get(i)));
            assertThat(predict.get("data").get(i).asText()).isEqualTo(classes.get(expected.predictedClass()));
            assertThat(scores.get("data").get(2 * i).asDouble()).isEqualTo(expected.scores()[0]);
            assertThat(scores.get("data").get(2 * i + 1).asDouble()).isEqualTo(expected.scores()[1]);
        }
    }

    private static void assertJson(Reply reply, int status, String body) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/json");
        assertThat(reply.body()).isEqualTo(body);
    }

    /** {@code $inference_error_response}: exactly {@code {"error": message}}. */
    private static void assertError(Reply reply, int status, String messagePart) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/json");
        JsonNode body = reply.json();
        assertThat(body.size()).as(reply.body()).isEqualTo(1);
        assertThat(body.get("error").asText()).isNotBlank().contains(messagePart);
    }
}
