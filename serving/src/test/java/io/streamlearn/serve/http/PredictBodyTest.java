package io.streamlearn.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import io.streamlearn.serve.fixtures.TestModels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seam bench's PredictRequestBenchmark measures through: the handler's own reader and writer, no HTTP. */
class PredictBodyTest {

    @Test
    void readsABatchOnTheStreamingPathAndAnswersAsTheHandlerDoes() throws Exception {
        ServedModel model = ServedModel.restore(TestModels.snapshot(TestModels.electricity().schema(),
                TestModels.electricityLearner(TestModels.TRAINING_ROWS), 3));
        List<LabeledRow> rows = TestModels.unseenRows(2);
        ObjectNode request = TestModels.JSON.createObjectNode();
        request.putArray("instances").add(TestModels.features(rows.get(0))).add(TestModels.features(rows.get(1)));
        request.putArray("ids").add("a").add("b");
        byte[] body = TestModels.JSON.writeValueAsBytes(request);

        assertThat(PredictBody.streams(body, model.encoder(), 10)).isTrue();
        PredictBody read = PredictBody.read(body, model.encoder(), 10);
        List<ServedPrediction> predictions = model.predictEncoded(read.rows());
        JsonNode answer = TestModels.JSON.readTree(new String(read.answer(model, predictions), StandardCharsets.UTF_8));

        assertThat(read.rows()).hasSize(2);
        assertThat(answer.get("version").asLong()).isEqualTo(3);
        assertThat(answer.get("predictions")).hasSize(2);
        assertThat(answer.get("predictions").get(1).get("id").asText()).isEqualTo("b");
        assertThat(answer.get("predictions").get(0).get("prediction").asText())
                .isEqualTo(String.valueOf(predictions.get(0).prediction()));
    }
}
