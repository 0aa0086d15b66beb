package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.serve.Feedback;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

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
            List<ObjectNode> batch = instancesOf(instances);
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
        ObjectNode response = JsonReply.object();
        if (!batch) {
            response.put("id", ids.get(0));
        }
        response.put("model", model.name()).put("version", model.version());
        if (!batch) {
            write(predictions.get(0), response);
        } else {
            ArrayNode answers = response.putArray("predictions");
            for (int i = 0; i < predictions.size(); i++) {
                write(predictions.get(i), answers.addObject().put("id", ids.get(i)));
            }
        }
        JsonReply.send(context, 200, response);
        feedback.served(model, ids, predictions, System.currentTimeMillis());
        metrics.recordPredictions(model, predictions);
    }

    private static ObjectNode featuresOf(JsonNode features) {
        if (features == null || !features.isObject()) {
            throw ApiError.badRequest(RejectReason.MISSING_FEATURES.code(),
                    "the body must hold a 'features' object or an 'instances' array");
        }
        return (ObjectNode) features;
    }

    private List<ObjectNode> instancesOf(JsonNode instances) {
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

    private static void write(ServedPrediction prediction, ObjectNode node) {
        if (prediction.prediction() instanceof Double value) {
            node.put("prediction", value);
        } else {
            node.put("prediction", String.valueOf(prediction.prediction()));
        }
        if (!prediction.scores().isEmpty()) {
            ObjectNode scores = node.putObject("scores");
            prediction.scores().forEach(scores::put);
        }
    }
}
