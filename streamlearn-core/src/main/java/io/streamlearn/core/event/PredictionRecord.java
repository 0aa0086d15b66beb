package io.streamlearn.core.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of the {@code predictions} topic: {@code {"id", "model", "version", "prediction", "scores", "ts"}}, where
 * {@code prediction} is the class label (or the value for regression) and {@code scores} maps each class to its score.
 */
public final class PredictionRecord {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictionRecord() {
    }

    public static byte[] encode(String id, FeatureSchema schema, long version, Prediction prediction, long timestamp) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("model", schema.model());
        root.put("version", version);
        writePrediction(root, schema, prediction);
        root.put("ts", timestamp);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds {@code prediction} and, for classification, {@code scores} to a JSON object. */
    public static void writePrediction(ObjectNode target, FeatureSchema schema, Prediction prediction) {
        FeatureSpec label = schema.target();
        if (!label.isNominal()) {
            target.put("prediction", prediction.value());
            return;
        }
        target.put("prediction", label.values().get(prediction.predictedClass()));
        ObjectNode scores = target.putObject("scores");
        double[] values = prediction.scores();
        for (int i = 0; i < label.values().size(); i++) {
            scores.put(label.values().get(i), i < values.length ? values[i] : 0.0);
        }
    }
}
