package io.streamlearn.serve.http;

import com.fasterxml.jackson.core.JsonGenerator;
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

    /** The answer's body: one prediction, or {@code "predictions"} with one object per instance. */
    static void writeAnswer(JsonGenerator json, ServedModel model, List<String> ids,
            List<ServedPrediction> predictions, boolean batch) throws IOException {
        json.writeStartObject();
        if (!batch) {
            json.writeStringField("id", ids.get(0));
        }
        json.writeStringField("model", model.name());
        json.writeNumberField("version", model.version());
        if (!batch) {
            write(predictions.get(0), json);
        } else {
            json.writeArrayFieldStart("predictions");
            for (int i = 0; i < predictions.size(); i++) {
                json.writeStartObject();
                json.writeStringField("id", ids.get(i));
                write(predictions.get(i), json);
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /** The fields of one prediction, written straight out: a batch answer holds a hundred of them. */
    private static void write(ServedPrediction prediction, JsonGenerator json) throws IOException {
        if (prediction.prediction() instanceof Double value) {
            json.writeNumberField("prediction", value);
        } else if (prediction.prediction() instanceof Integer id) {
            json.writeNumberField("prediction", id);
        } else if (prediction.prediction() == null) {
            json.writeNullField("prediction");
        } else {
            json.writeStringField("prediction", String.valueOf(prediction.prediction()));
        }
        if (prediction.scores() instanceof ClassScores scores) {
            json.writeObjectFieldStart("scores");
            for (int i = 0; i < scores.size(); i++) {
                json.writeNumberField(scores.label(i), scores.score(i));
            }
            json.writeEndObject();
        } else if (!prediction.scores().isEmpty()) {
            json.writeObjectFieldStart("scores");
            for (Map.Entry<String, Double> score : prediction.scores().entrySet()) {
                json.writeNumberField(score.getKey(), score.getValue());
            }
            json.writeEndObject();
        }
    }
}
