package io.streamlearn.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of the {@code predictions} topic: {@code {"id", "model", "version", "prediction", "scores", "ts"}}, where
 * {@code prediction} is the class label (or the value for regression, {@code null} while the learner cannot predict
 * yet) and {@code scores} maps each class to its score.
 */
public final class PredictionRecord {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictionRecord() {
    }

    /** Written with a streaming generator: this runs once per event on the trainer's hot path. */
    public static byte[] encode(String id, FeatureSchema schema, long version, Prediction prediction, long timestamp) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (JsonGenerator out = JSON.getFactory().createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("id", id);
            out.writeStringField("model", schema.model());
            out.writeNumberField("version", version);
            FeatureSpec label = schema.target();
            if (label.isNominal()) {
                out.writeStringField("prediction", label.values().get(prediction.predictedClass()));
                out.writeObjectFieldStart("scores");
                double[] scores = prediction.scores();
                for (int i = 0; i < label.values().size(); i++) {
                    out.writeNumberField(label.values().get(i), i < scores.length ? scores[i] : 0.0);
                }
                out.writeEndObject();
            } else if (prediction.hasValue()) {
                out.writeNumberField("prediction", prediction.value());
            } else {
                out.writeNullField("prediction");
            }
            out.writeNumberField("ts", timestamp);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
