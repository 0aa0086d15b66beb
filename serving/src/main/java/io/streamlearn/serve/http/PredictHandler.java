package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/models/{name}/predict}. The body holds either {@code "features"} (one instance) or
 * {@code "instances"} (an array of feature objects, at most the configured maximum; a larger batch is answered 413
 * {@code too_many_instances}, as a body over the size limit is). Inference takes microseconds, so it runs here on the
 * event loop.
 */
final class PredictHandler implements Handler<RoutingContext> {

    private final ModelLookup lookup;
    private final RequestMetrics metrics;
    private final int maxBatchInstances;

    PredictHandler(ModelLookup lookup, RequestMetrics metrics, int maxBatchInstances) {
        this.lookup = lookup;
        this.metrics = metrics;
        this.maxBatchInstances = maxBatchInstances;
    }

    @Override
    public void handle(RoutingContext context) {
        long started = System.nanoTime();
        // Looked up once: the whole request uses this version even if a newer one is swapped in meanwhile.
        ServedModel model = lookup.model(context);
        ObjectNode request = RequestBody.parseObject(context);
        JsonNode features = request.get("features");
        JsonNode instances = request.get("instances");
        if (features != null && instances != null) {
            throw ApiError.badRequest("invalid_request", "give either 'features' or 'instances', not both");
        }
        ObjectNode response = JsonReply.object().put("model", model.name()).put("version", model.version());
        int predicted;
        try {
            predicted = instances != null
                    ? predictBatch(model, instances, response)
                    : predictOne(model, features, response);
        } catch (InvalidRecordException e) {
            throw ApiError.invalidFeatures(e);
        }
        JsonReply.send(context, 200, response);
        metrics.recordPredictions(model.name(), predicted, System.nanoTime() - started);
    }

    private static int predictOne(ServedModel model, JsonNode features, ObjectNode response)
            throws InvalidRecordException {
        if (features == null || !features.isObject()) {
            throw ApiError.badRequest(RejectReason.MISSING_FEATURES.code(),
                    "the body must hold a 'features' object or an 'instances' array");
        }
        write(model.predict((ObjectNode) features), response);
        return 1;
    }

    private int predictBatch(ServedModel model, JsonNode instances, ObjectNode response)
            throws InvalidRecordException {
        List<ObjectNode> batch = instancesOf(instances);
        ArrayNode predictions = response.putArray("predictions");
        for (ServedPrediction prediction : model.predictAll(batch)) {
            write(prediction, predictions.addObject());
        }
        return batch.size();
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
