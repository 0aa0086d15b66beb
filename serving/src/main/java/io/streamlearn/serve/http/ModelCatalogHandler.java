package io.streamlearn.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.ServedModel;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/models} and {@code GET /v1/models/{name}}: what is served, in which version, with its provenance. */
final class ModelCatalogHandler {

    private final ModelRegistry models;

    ModelCatalogHandler(ModelRegistry models) {
        this.models = models;
    }

    void list(RoutingContext context) {
        ObjectNode body = JsonReply.object();
        ArrayNode list = body.putArray("models");
        for (ServedModel model : models.all()) {
            list.addObject().put("name", model.name()).put("version", model.version());
        }
        JsonReply.send(context, 200, body);
    }

    void describe(RoutingContext context) {
        String name = context.pathParam("name");
        ServedModel model = models.find(name).orElseThrow(() -> ApiError.unknownModel(name));
        ObjectNode body = JsonReply.object().put("name", model.name()).put("version", model.version());
        ObjectNode versions = AdminHandler.describe(name, models.versions(name));
        body.set("pinned", versions.get("pinned"));
        body.set("versions", versions.get("versions"));
        body.set("metadata", JsonReply.JSON.valueToTree(model.metadata()));
        body.set("schema", schemaJson(model));
        JsonReply.send(context, 200, body);
    }

    /** The schema's own JSON form, as {@code FeatureSchema.toJson} writes it for schema files. */
    private static JsonNode schemaJson(ServedModel model) {
        try {
            return JsonReply.JSON.readTree(model.schema().toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schema of " + model + " wrote invalid JSON", e);
        }
    }
}
