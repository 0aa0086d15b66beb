package io.streamlearn.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeatureSchema REGRESSION =
            new FeatureSchema("bike", FeatureSpec.numeric("cnt"), List.of(FeatureSpec.numeric("hr")));

    @Test
    void writesARegressionValueAsANumber() throws Exception {
        JsonNode record = JSON.readTree(PredictionRecord.encode("b-1", REGRESSION, 2, Prediction.regression(41.5), 9));

        assertThat(record.get("prediction").doubleValue()).isEqualTo(41.5);
        assertThat(record.has("scores")).isFalse();
    }

    @Test
    void writesNullWhileTheRegressorCannotPredictYet() throws Exception {
        JsonNode record = JSON.readTree(PredictionRecord.encode("b-0", REGRESSION, 0,
                Prediction.regression(Double.NaN), 9));

        assertThat(record.get("prediction").isNull()).isTrue();
        assertThat(record.get("ts").longValue()).isEqualTo(9);
    }
}
