package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.Feedback;
import io.streamlearn.serve.ServedModel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/models/{name}/learn}: a labelled event for the trainer, {@code {"id"?, "features", "label"}} or
 * {@code {"events": [...]}}, produced to the {@code events} topic keyed by model name, as any producer's event: the
 * trainer predicts it (prequential evaluation), learns it, and the next snapshot has learned it. It closes the loop for
 * users who only speak HTTP: predict with {@code /predict}, and once the truth is known send the same features with
 * their label here. Each event is checked against the served model's schema first, so one the trainer would refuse is
 * a 400 here. Answered {@code {"model", "accepted", "ids"}} once the broker has them all. It trains the model, so it
 * takes the labels token when one is configured ({@link LabelsHandler#authorize}).
 */
final class LearnHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(LearnHandler.class);

    private final ModelLookup lookup;
    private final Feedback feedback;
    private final int maxBatchInstances;
    private final EventCodec codec = new EventCodec();

    LearnHandler(ModelLookup lookup, Feedback feedback, int maxBatchInstances) {
        this.lookup = lookup;
        this.feedback = feedback;
        this.maxBatchInstances = maxBatchInstances;
    }

    @Override
    public void handle(RoutingContext context) {
        ServedModel model = lookup.model(context);
        ObjectNode request = RequestBody.parseObject(context);
        JsonNode batch = request.get("events");
        List<JsonNode> items = new ArrayList<>();
        if (batch == null) {
            items.add(request);
        } else if (!batch.isArray() || batch.isEmpty()) {
            throw ApiError.badRequest("invalid_request",
                    "'events' must be a non-empty array of {\"id\", \"features\", \"label\"}");
        } else {
            batch.forEach(items::add);
        }
        if (items.size() > maxBatchInstances) {
            throw ApiError.tooManyInstances(maxBatchInstances, items.size());
        }
        FeatureEncoder encoder = new FeatureEncoder(model.schema());
        long now = System.currentTimeMillis();
        List<byte[]> events = new ArrayList<>(items.size());
        ArrayNode ids = codec.json().createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            String where = batch == null ? "" : "event " + i + ": ";
            byte[] event = event(encoder, model.name(), items.get(i), now, where, ids);
            events.add(event);
        }
        Future.fromCompletionStage(feedback.events(model.name(), events), context.vertx().getOrCreateContext())
                .onSuccess(done -> {
                    ObjectNode reply = JsonReply.object().put("model", model.name()).put("accepted", events.size());
                    reply.set("ids", ids);
                    JsonReply.send(context, 200, reply);
                })
                .onFailure(failure -> {
                    LOG.warn("Events for model '{}' could not be produced", model.name(), failure);
                    context.fail(new ApiError(503, "events_unavailable", "the events could not be stored: "
                            + failure.getMessage(), null));
                });
    }

    /** The event JSON the trainer reads, after the checks it would make. */
    private byte[] event(FeatureEncoder encoder, String model, JsonNode item, long now, String where, ArrayNode ids) {
        if (!item.isObject()) {
            throw ApiError.badRequest("invalid_request",
                    where + "an event must be an object {\"id\", \"features\", \"label\"}");
        }
        String id = item.hasNonNull("id") ? PredictionIds.of(item.get("id"), "id") : "learn-" + UUID.randomUUID();
        JsonNode label = item.get("label");
        if (label == null || label.isNull()) {
            throw new ApiError(400, "missing_label", where + "an event to learn from needs its 'label'", "label");
        }
        ObjectNode json = codec.json().createObjectNode().put("id", id).put("model", model).put("ts", now);
        json.set("features", item.get("features"));
        json.set("label", label);
        byte[] bytes = codec.write(json);
        try {
            Event event = codec.decodeEvent(bytes, model, now);
            encoder.encodeFeatures(event.features());
            encoder.encodeLabel(event.label());
        } catch (InvalidRecordException e) {
            throw new ApiError(400, e.reason().code(), where + e.getMessage(), e.field());
        }
        ids.add(id);
        return bytes;
    }
}
