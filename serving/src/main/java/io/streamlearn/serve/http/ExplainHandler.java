package io.streamlearn.serve.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.ServedExplanation;
import io.streamlearn.serve.ServedModel;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/models/{name}/explain} and {@code /v1/models/{name}/versions/{v}/explain}: the body of a predict
 * request ({@code "features"} or {@code "instances"}), answered per instance with {@code baseValue},
 * {@code contributions} (SHAP value per column after the feature pipeline), {@code margin} (their sum with the base
 * value: the raw score) and the {@code prediction}. TreeSHAP costs far more than a prediction, so it always runs on a
 * worker thread. An online MOA model is answered 501 {@code explain_not_supported}.
 */
final class ExplainHandler implements Handler<RoutingContext> {

    private final ModelLookup lookup;
    private final int maxBatchInstances;

    ExplainHandler(ModelLookup lookup, int maxBatchInstances) {
        this.lookup = lookup;
        this.maxBatchInstances = maxBatchInstances;
    }

    @Override
    public void handle(RoutingContext context) {
        ServedModel model = lookup.model(context);
        if (!model.explainable()) {
            throw ApiError.explainNotSupported("model '" + model.name() + "' v" + model.version() + " is an online "
                    + "learner (" + model.metadata().learnerSpec() + "): explanations are served for batch (XGBoost) "
                    + "models only");
        }
        context.vertx().executeBlocking(() -> {
            explain(context, model);
            return null;
        }, false).onFailure(context::fail);
    }

    private void explain(RoutingContext context, ServedModel model) {
        ObjectNode request = RequestBody.parseObject(context);
        JsonNode features = request.get("features");
        JsonNode instances = request.get("instances");
        if (features != null && instances != null) {
            throw ApiError.badRequest("invalid_request", "give either 'features' or 'instances', not both");
        }
        boolean batch = instances != null;
        List<ObjectNode> rows = batch ? PredictRequest.instancesOf(instances, maxBatchInstances)
                : List.of(PredictRequest.featuresOf(features));
        List<ServedExplanation> explanations;
        try {
            explanations = model.explainAll(rows);
        } catch (InvalidRecordException e) {
            throw ApiError.invalidFeatures(e);
        }
        JsonReply.send(context, 200, json -> {
            json.writeStartObject();
            json.writeStringField("model", model.name());
            json.writeNumberField("version", model.version());
            if (batch) {
                json.writeArrayFieldStart("explanations");
                for (ServedExplanation explanation : explanations) {
                    json.writeStartObject();
                    write(explanation, json);
                    json.writeEndObject();
                }
                json.writeEndArray();
            } else {
                write(explanations.get(0), json);
            }
            json.writeEndObject();
        });
    }

    private static void write(ServedExplanation served, JsonGenerator json) throws IOException {
        json.writeNumberField("baseValue", served.explanation().baseValue());
        json.writeObjectFieldStart("contributions");
        for (Map.Entry<String, Double> contribution : served.explanation().contributions().entrySet()) {
            json.writeNumberField(contribution.getKey(), contribution.getValue());
        }
        json.writeEndObject();
        json.writeNumberField("margin", served.explanation().margin());
        PredictHandler.writePrediction(served.prediction(), json);
    }
}
