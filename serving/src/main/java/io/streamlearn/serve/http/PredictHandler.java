package io.streamlearn.serve.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.serve.Feedback;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/models/{name}/predict}. The body holds either {@code "features"} (one instance, with an optional
 * {@code "id"}) or {@code "instances"} (an array of feature objects, with optional {@code "ids"}, at most the configured maximum; a larger batch is answered 413
 * {@code too_many_instances}, as a body over the size limit is). Inference takes microseconds, so it runs here on the
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
        ObjectNode request = RequestBody.parseObject(context);
        JsonNode features = request.get("features");
        JsonNode instances = request.get("instances");
        if (features != null && instances != null) {
            throw ApiError.badRequest("invalid_request", "give either 'features' or 'instances', not both");
        }
        if (instances != null) {
            List<ObjectNode> batch = instancesOf(instances, maxBatchInstances);
            List<String> ids = PredictionIds.ofBatch(request.get("ids"), batch.size());
            answer(context, model, ids, batch, true);
        } else {
            List<String> ids = List.of(PredictionIds.of(request.get("id"), "id"));
            answer(context, model, ids, List.of(featuresOf(features)), false);
        }
    }

    private void answer(RoutingContext context, ServedModel model, List<String> ids, List<ObjectNode> instances,
            boolean batch) {
        List<ServedPrediction> predictions;
        try {
            predictions = batch ? model.predictAll(instances) : List.of(model.predict(instances.get(0)));
        } catch (InvalidRecordException e) {
            throw ApiError.invalidFeatures(e);
        }
        JsonReply.send(context, 200, json -> {
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
        });
        feedback.served(model, ids, predictions, System.currentTimeMillis());
        metrics.recordPredictions(model, predictions);
    }

    /** The single instance of a body with {@code "features"}; shared with the explain route. */
    static ObjectNode featuresOf(JsonNode features) {
        if (features == null || !features.isObject()) {
            throw ApiError.badRequest(RejectReason.MISSING_FEATURES.code(),
                    "the body must hold a 'features' object or an 'instances' array");
        }
        return (ObjectNode) features;
    }

    /** The instances of a body with {@code "instances"}; shared with the explain route. */
    static List<ObjectNode> instancesOf(JsonNode instances, int maxBatchInstances) {
        if (!instances.isArray() || instances.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "'instances' must be a non-empty array of feature objects");
        }
        if (instances.size() > maxBatchInstances) {
            throw ApiError.tooManyInstances(maxBatchInstances, instances.size());
        }
        List<ObjectNode> batch = new ArrayList<>(instances.size());
        for (JsonNode instance : instances) {
            if (!instance.isObject()) {
                throw ApiError.badRequest("invalid_request", "instance " + batch.size() + " is not a JSON object");
            }
            batch.add((ObjectNode) instance);
        }
        return batch;
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
        if (!prediction.scores().isEmpty()) {
            json.writeObjectFieldStart("scores");
            for (Map.Entry<String, Double> score : prediction.scores().entrySet()) {
                json.writeNumberField(score.getKey(), score.getValue());
            }
            json.writeEndObject();
        }
    }
}
