package io.streamlearn.serve.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import io.streamlearn.serve.fixtures.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorInstancesTest {

    private static final FeatureSchema SCHEMA = new FeatureSchema("shop", FeatureSpec.nominal("bought",
            List.of("no", "yes")), List.of(
            FeatureSpec.numeric("price"),
            FeatureSpec.nominal("color", List.of("red", "green", "blue")),
            new FeatureSpec("seen", FeatureType.TIMESTAMP, List.of(), MissingPolicy.MISSING, null)));

    @Test
    void oneTensorPerFeatureGivesOneInstancePerRow() throws Exception {
        List<ObjectNode> instances = decode("""
                [{"name": "price", "shape": [2], "datatype": "FP32", "data": [1.5, 2]},
                 {"name": "color", "shape": [2, 1], "datatype": "BYTES", "data": [["blue"], ["red"]]},
                 {"name": "seen", "shape": [2], "datatype": "INT64", "data": [1764111600000, null]}]""");

        assertThat(instances).hasSize(2);
        assertThat(instances.get(0).toString()).isEqualTo(
                "{\"price\":1.5,\"color\":\"blue\",\"seen\":1764111600000}");
        assertThat(instances.get(1).toString()).isEqualTo("{\"price\":2,\"color\":\"red\"}");
    }

    @Test
    void matrixInputFollowsTheMetadataColumnOrderWithNominalValuesAsIndexes() throws Exception {
        List<ObjectNode> instances = decode("""
                [{"name": "input", "shape": [2, 3], "datatype": "FP64",
                  "data": [[0.5, 2, 1.7641116E12], [0.25, 0.0, null]]}]""");

        assertThat(instances.get(0).toString()).isEqualTo(
                "{\"price\":0.5,\"color\":\"blue\",\"seen\":1764111600000}");
        assertThat(instances.get(1).toString()).isEqualTo("{\"price\":0.25,\"color\":\"red\"}");
        assertThat(ModelSignature.inputs(SCHEMA)).extracting(ModelSignature.TensorSpec::name)
                .containsExactly("price", "color", "seen");
    }

    @Test
    void flatAndNestedDataAreTheSameTensor() throws Exception {
        assertThat(decode("[{\"name\": \"input\", \"shape\": [2, 3], \"datatype\": \"FP32\","
                + " \"data\": [1, 0, 5, 2, 1, 6]}]"))
                .isEqualTo(decode("[{\"name\": \"input\", \"shape\": [2, 3], \"datatype\": \"FP32\","
                        + " \"data\": [[1, 0, 5], [2, 1, 6]]}]"));
    }

    @Test
    void refusesTensorsThatDoNotFitTheSchema() {
        assertRefused("[{\"name\": \"size\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]",
                "unknown_feature", "size");
        assertRefused("[{\"name\": \"color\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]",
                "wrong_type", "color");
        assertRefused("[{\"name\": \"seen\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [0.5]}]",
                "wrong_type", "seen");
        assertRefused("[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 3, 0]}]",
                "unseen_nominal", "color");
        assertRefused("[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 0.5, 0]}]",
                "wrong_type", "color");
        assertRefused("[{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"BYTES\", \"data\": [\"a\", \"b\","
                + " \"c\"]}]", "wrong_type", "input");
    }

    @Test
    void refusesMalformedTensors() {
        assertRefused("[]", "invalid_request", "inputs");
        assertRefused("[{\"name\": \"price\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [1, 2]}]",
                "invalid_tensor", "price");
        assertRefused("[{\"name\": \"price\", \"shape\": [1], \"datatype\": \"float\", \"data\": [1]}]",
                "invalid_tensor", "price");
        assertRefused("[{\"name\": \"price\", \"shape\": [-1], \"datatype\": \"FP64\", \"data\": [1]}]",
                "invalid_tensor", "price");
        assertRefused("[{\"name\": \"price\", \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [1, 2]}]",
                "invalid_tensor", "price");
        assertRefused("[{\"name\": \"input\", \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [1, 2]}]",
                "invalid_tensor", "input");
        assertRefused("""
                [{"name": "price", "shape": [2], "datatype": "FP64", "data": [1, 2]},
                 {"name": "color", "shape": [1], "datatype": "BYTES", "data": ["red"]}]""", "invalid_tensor", "color");
        assertRefused("""
                [{"name": "price", "shape": [1], "datatype": "FP64", "data": [1]},
                 {"name": "price", "shape": [1], "datatype": "FP64", "data": [1]}]""", "invalid_tensor", "price");
        assertRefused("""
                [{"name": "input", "shape": [1, 3], "datatype": "FP64", "data": [1, 0, 0]},
                 {"name": "price", "shape": [1], "datatype": "FP64", "data": [1]}]""", "invalid_tensor", "input");
    }

    private static List<ObjectNode> decode(String inputs) throws InvalidTensorException {
        return TensorInstances.decode(SCHEMA, json(inputs));
    }

    private static void assertRefused(String inputs, String code, String field) {
        assertThatThrownBy(() -> decode(inputs)).isInstanceOfSatisfying(InvalidTensorException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    private static JsonNode json(String text) {
        try {
            return TestModels.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
