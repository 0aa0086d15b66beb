package io.streamlearn.serve.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.ClassScores;
import io.streamlearn.serve.Feedback;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /v1/models/{name}/predict}, for one instance or a batch (the body: {@link PredictRequest}); a batch over
 * the configured maximum is answered 413 {@code too_many_instances}, as a body over the size limit is. Inference takes microseconds, so it runs here on the
 * event loop, except for large bodies (see {@link PredictionWork}).
 */
final class PredictHandler implements Handler<RoutingContext> {

    private final ModelLookup lookup;
    private final RequestMetrics metrics;
    private final Feedback feedback;
    private final int maxBatchInstances;

    PredictHandler(ModelLookup lookup, RequestMetrics metrics, Feedback feedback, int maxBatchInstances) {
        this.lookup = lookup;
        this.metrics = metrics;
        this.feedback = feedback;
        this.maxBatchInstances = maxBatchInstances;
    }

    @Override
    public void handle(RoutingContext context) {
        // Looked up once: the whole request uses this version even if a newer one is swapped in meanwhile.
        ServedModel model = lookup.model(context);
        PredictionWork.run(context, () -> predict(context, model));
    }

    private void predict(RoutingContext context, ServedModel model) {
        PredictRequest request = PredictRequest.read(RequestBody.bytes(context), model.encoder(), maxBatchInstances);
        reply(context, model, request.ids(), model.predictEncoded(request.rows()), request.batch());
    }

    private void reply(RoutingContext context, ServedModel model, List<String> ids,
            List<ServedPrediction> predictions, boolean batch) {
        JsonReply.send(context, 200, json -> writeAnswer(json, model, ids, predictions, batch));
        feedback.served(model, ids, predictions, System.currentTimeMillis());
        metrics.recordPredictions(model, predictions);
    }

    /**
     * Field names and class labels, encoded once: written as pre-encoded bytes, not escaped again for each of a batch
     * answer's hundred predictions (escaping was the largest part of writing one).
     */
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString MODEL = new SerializedString("model");
    private static final SerializedString VERSION = new SerializedString("version");
    private static final SerializedString PREDICTIONS = new SerializedString("predictions");
    private static final SerializedString PREDICTION = new SerializedString("prediction");
    private static final SerializedString SCORES = new SerializedString("scores");
    /** Class labels come from schemas; the bound only guards against a pathological number of them. */
    private static final int MAX_ENCODED_LABELS = 10_000;
    private static final Map<String, SerializedString> LABELS = new ConcurrentHashMap<>();

    /** The answer's body: one prediction, or {@code "predictions"} with one object per instance. */
    static void writeAnswer(JsonGenerator json, ServedModel model, List<String> ids,
            List<ServedPrediction> predictions, boolean batch) throws IOException {
        json.writeStartObject();
        if (!batch) {
            json.writeFieldName(ID);
            json.writeString(ids.get(0));
        }
        json.writeFieldName(MODEL);
        json.writeString(model.name());
        json.writeFieldName(VERSION);
        json.writeNumber(model.version());
        if (!batch) {
            writePrediction(predictions.get(0), json);
        } else {
            json.writeFieldName(PREDICTIONS);
            json.writeStartArray();
            for (int i = 0; i < predictions.size(); i++) {
                json.writeStartObject();
                json.writeFieldName(ID);
                json.writeString(ids.get(i));
                writePrediction(predictions.get(i), json);
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /**
     * The {@code prediction} and {@code scores} fields of one prediction, written straight out: a batch answer holds a
     * hundred of them. Shared with the explain route.
     */
    static void writePrediction(ServedPrediction prediction, JsonGenerator json) throws IOException {
        json.writeFieldName(PREDICTION);
        if (prediction.prediction() instanceof Double value) {
            json.writeNumber(value);
        } else if (prediction.prediction() instanceof Integer id) {
            json.writeNumber(id);
        } else if (prediction.prediction() == null) {
            json.writeNull();
        } else {
            json.writeString(label(String.valueOf(prediction.prediction())));
        }
        ClassScores scores = prediction.scores();
        if (scores.isEmpty()) {
            return;
        }
        json.writeFieldName(SCORES);
        json.writeStartObject();
        for (int i = 0; i < scores.size(); i++) {
            json.writeFieldName(label(scores.label(i)));
            json.writeNumber(scores.score(i));
        }
        json.writeEndObject();
    }

    private static SerializableString label(String text) {
        SerializedString encoded = LABELS.get(text);
        if (encoded != null) {
            return encoded;
        }
        encoded = new SerializedString(text);
        if (LABELS.size() < MAX_ENCODED_LABELS) {
            LABELS.putIfAbsent(text, encoded);
        }
        return encoded;
    }
}
