package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.runtime.http.BearerToken;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.Feedback;
import io.streamlearn.serve.Feedback.LabelRecord;
import io.streamlearn.serve.ServedModel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/models/{name}/labels}: ground truth for predictions (or events) by id, {@code {"id", "label"}} or
 * {@code {"labels": [{"id", "label"}, ...]}}, produced to the {@code labels} topic keyed by model name, where the
 * trainer joins it to the event of that id. Each label is checked against the served model's target first, so a
 * label the trainer would refuse is a 400 here. Answered {@code {"model", "accepted"}} once the broker has them all.
 * With a labels token configured, only requests bearing it get through ({@link #authorize}, before the body is parsed):
 * labels train the model, so whoever may post them may steer it.
 */
final class LabelsHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(LabelsHandler.class);

    private final ModelLookup lookup;
    private final Feedback feedback;
    private final int maxBatchInstances;
    private final BearerToken token;

    /** @param token {@code null} accepts labels without a token */
    LabelsHandler(ModelLookup lookup, Feedback feedback, int maxBatchInstances, String token) {
        this.lookup = lookup;
        this.feedback = feedback;
        this.maxBatchInstances = maxBatchInstances;
        this.token = BearerToken.of(token);
    }

    /**
     * Runs before {@link #handle}: 401 without the configured token, the body unparsed and nothing produced. (Vert.x
     * Web orders an authentication handler after the body handler, whose size limit bounds what is read.)
     */
    void authorize(RoutingContext context) {
        if (token.configured() && !token.accepts(context.request().getHeader("Authorization"))) {
            context.response().putHeader("WWW-Authenticate", BearerToken.LABELS_CHALLENGE);
            throw new ApiError(401, "unauthorized", "posting labels needs 'Authorization: Bearer <labels token>'",
                    null);
        }
        context.next();
    }

    @Override
    public void handle(RoutingContext context) {
        ServedModel model = lookup.model(context);
        ObjectNode request = RequestBody.parseObject(context);
        JsonNode batch = request.get("labels");
        List<JsonNode> items = new ArrayList<>();
        if (batch == null) {
            items.add(request);
        } else if (!batch.isArray() || batch.isEmpty()) {
            throw ApiError.badRequest("invalid_request", "'labels' must be a non-empty array of {\"id\", \"label\"}");
        } else {
            batch.forEach(items::add);
        }
        if (items.size() > maxBatchInstances) {
            throw ApiError.tooManyInstances(maxBatchInstances, items.size());
        }
        FeatureEncoder encoder = new FeatureEncoder(model.schema());
        List<LabelRecord> labels = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            labels.add(label(encoder, items.get(i), batch == null ? "" : "label " + i + ": "));
        }
        Future.fromCompletionStage(feedback.labels(model.name(), labels), context.vertx().getOrCreateContext())
                .onSuccess(done -> JsonReply.send(context, 200,
                        JsonReply.object().put("model", model.name()).put("accepted", labels.size())))
                .onFailure(failure -> {
                    LOG.warn("Labels for model '{}' could not be produced", model.name(), failure);
                    context.fail(new ApiError(503, "labels_unavailable", "the labels could not be stored: "
                            + failure.getMessage(), null));
                });
    }

    private static LabelRecord label(FeatureEncoder encoder, JsonNode item, String where) {
        if (!item.isObject()) {
            throw ApiError.badRequest("invalid_request", where + "a label must be an object {\"id\", \"label\"}");
        }
        String id = item.hasNonNull("id") ? PredictionIds.of(item.get("id"), "id") : null;
        if (id == null) {
            throw new ApiError(400, "missing_id", where + "a label needs the 'id' of its prediction", "id");
        }
        JsonNode label = item.get("label");
        if (label == null || label.isNull()) {
            throw new ApiError(400, "missing_label", where + "no 'label' for id '" + id + "'", "label");
        }
        try {
            encoder.encodeLabel(label);
        } catch (InvalidRecordException e) {
            throw new ApiError(400, e.reason().code(), where + e.getMessage(), "label");
        }
        return new LabelRecord(id, label);
    }
}
