package io.streamlearn.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON of the {@code predictions} topic: {@code {"id", "model", "version", "prediction", "scores", "ts"}}, where
 * {@code prediction} is the class label (or the value for regression, {@code null} while the learner cannot predict
 * yet) and {@code scores} maps each class to its score. For an anomaly detector {@code prediction} is the anomaly
 * score and {@code anomaly} says whether it raised an alert; for a clusterer {@code prediction} is the cluster id and
 * {@code distance} the distance to its centre (both {@code null} before the first clusters).
 *
 * <p>The {@code anomalies} topic carries {@code {"id", "model", "version", "score", "ts"}} per alert.
 */
public final class PredictionRecord {

    /**
     * Schubfach for doubles (Jackson's fast writer): the JDK 17 {@code Double.toString} behind the default was the
     * largest part of encoding a prediction, once per event on the trainer's hot path; values read back the same.
     */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private PredictionRecord() {
    }

    public static byte[] encode(String id, FeatureSchema schema, long version, Prediction prediction, long timestamp) {
        return encode(id, schema, version, prediction, timestamp, false);
    }

    /**
     * Written with a streaming generator: this runs once per event on the trainer's hot path.
     *
     * @param alert whether an anomaly detector's score raised an alert; ignored for the other tasks
     */
    public static byte[] encode(String id, FeatureSchema schema, long version, Prediction prediction, long timestamp,
            boolean alert) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("id", id);
            out.writeStringField("model", schema.model());
            out.writeNumberField("version", version);
            FeatureSpec label = schema.target();
            Task task = schema.task();
            if (task.unsupervised()) {
                writeUnsupervised(out, task, prediction, alert);
            } else if (label.isNominal()) {
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

    private static void writeUnsupervised(JsonGenerator out, Task task, Prediction prediction, boolean alert)
            throws IOException {
        if (!prediction.hasValue()) {
            out.writeNullField("prediction");
        } else if (task == Task.ANOMALY) {
            out.writeNumberField("prediction", prediction.value());
            out.writeBooleanField("anomaly", alert);
        } else {
            out.writeNumberField("prediction", prediction.predictedClass());
            out.writeNumberField("distance", prediction.clusterDistance());
        }
    }

    /** One record of the {@code anomalies} topic. */
    public static byte[] encodeAlert(String id, String model, long version, double score, long timestamp) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(120);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("id", id);
            out.writeStringField("model", model);
            out.writeNumberField("version", version);
            out.writeNumberField("score", score);
            out.writeNumberField("ts", timestamp);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
