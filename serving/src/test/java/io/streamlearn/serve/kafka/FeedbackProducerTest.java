package io.streamlearn.serve.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.PredictionRecord;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.fixtures.TestModels;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FeedbackProducerTest {

    @Test
    void servedPredictionJsonIsTheTrainersWithItsSource() throws Exception {
        OnlineLearner learner = TestModels.electricityLearner(TestModels.TRAINING_ROWS);
        ServedModel model = ServedModel.restore(TestModels.snapshot(TestModels.electricity().schema(), learner, 7));
        LabeledRow row = TestModels.unseenRows(1).get(0);

        JsonNode served = TestModels.JSON.readTree(FeedbackProducer.encode("e-1", model,
                model.predict(TestModels.features(row)), 1_764_111_600_000L));
        JsonNode trainer = TestModels.JSON.readTree(PredictionRecord.encode("e-1", model.schema(), 7,
                learner.predict(TestModels.encode(model.schema(), row)), 1_764_111_600_000L));

        assertThat(served.get("source").asText()).isEqualTo("serving");
        JsonNode withoutSource = ((ObjectNode) served.deepCopy()).without("source");
        assertThat(withoutSource).isEqualTo(trainer);
    }

    @Test
    void samplingKeepsTheGivenShareOfIdsTheSameWayEachTime() {
        long kept = IntStream.range(0, 10_000).filter(i -> FeedbackProducer.sampled("id-" + i, 0.25)).count();

        assertThat(kept).isBetween(2_300L, 2_700L);
        boolean once = FeedbackProducer.sampled("id-42", 0.25);
        assertThat(FeedbackProducer.sampled("id-42", 0.25)).isEqualTo(once);
        assertThat(IntStream.range(0, 1_000).allMatch(i -> FeedbackProducer.sampled("id-" + i, 1.0))).isTrue();
        assertThat(IntStream.range(0, 1_000).noneMatch(i -> FeedbackProducer.sampled("id-" + i, 0.0))).isTrue();
    }
}
