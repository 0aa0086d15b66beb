package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.Readiness;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.protocol.ModelSignature;
import io.streamlearn.serve.protocol.ModelSignature.TensorSpec;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The health and metadata routes of the Open Inference Protocol (KServe V2 REST): {@code GET /v2},
 * {@code /v2/health/live}, {@code /v2/health/ready}, {@code /v2/models/{name}[/versions/{v}]} and its
 * {@code /ready}. Health answers carry the result in the status (200 true, 4xx false, as the protocol says) and in the
 * body.
 */
final class InferenceProtocolHandler {

    static final String SERVER_NAME = "streamlearn";
    static final String PLATFORM = "streamlearn";

    private final ModelRegistry models;
    private final ModelLookup lookup;
    private final Readiness readiness;
    private final Liveness liveness;

    InferenceProtocolHandler(ModelRegistry models, ModelLookup lookup, Readiness readiness, Liveness liveness) {
        this.models = models;
        this.lookup = lookup;
        this.readiness = readiness;
        this.liveness = liveness;
    }

    void serverMetadata(RoutingContext context) {
        String version = InferenceProtocolHandler.class.getPackage().getImplementationVersion();
        ObjectNode body = JsonReply.object().put("name", SERVER_NAME).put("version", version == null ? "dev" : version);
        body.putArray("extensions").add("binary_tensor_data");
        JsonReply.send(context, 200, body);
    }

    /** Not live once a part of the process failed; {@code GET /health/live} gives the reason. */
    void live(RoutingContext context) {
        boolean live = liveness.failure().isEmpty();
        JsonReply.send(context, live ? 200 : 400, JsonReply.object().put("live", live));
    }

    void ready(RoutingContext context) {
        boolean ready = liveness.failure().isEmpty() && readiness.notReadyReason().isEmpty();
        JsonReply.send(context, ready ? 200 : 400, JsonReply.object().put("ready", ready));
    }

    /** A model this server holds is loaded in full, so it is ready; an unknown one is a 404. */
    void modelReady(RoutingContext context) {
        ServedModel model = lookup.model(context);
        JsonReply.send(context, 200, JsonReply.object().put("name", model.name()).put("ready", true));
    }

    void modelMetadata(RoutingContext context) {
        ServedModel model = lookup.model(context);
        ObjectNode body = JsonReply.object().put("name", model.name());
        ArrayNode versions = body.putArray("versions");
        models.versions(model.name()).held().forEach(version -> versions.add(Long.toString(version.version())));
        body.put("platform", PLATFORM);
        tensors(body.putArray("inputs"), ModelSignature.inputs(model.schema()));
        tensors(body.putArray("outputs"), ModelSignature.outputs(model.schema()));
        JsonReply.send(context, 200, body);
    }

    private static void tensors(ArrayNode into, List<TensorSpec> specs) {
        for (TensorSpec spec : specs) {
            ObjectNode tensor = into.addObject().put("name", spec.name()).put("datatype", spec.datatype().name());
            ArrayNode shape = tensor.putArray("shape");
            spec.shape().forEach(shape::add);
        }
    }
}
