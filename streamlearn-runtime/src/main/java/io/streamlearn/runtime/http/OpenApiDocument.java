package io.streamlearn.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A service's HTTP contract: an OpenAPI 3.1 document, a classpath resource built from the file under
 * {@code docs/contracts/openapi/} (one source for the docs and the server), answered on {@code GET /openapi.json}.
 * Tests check it against the routes the router really has and the bodies it really answers.
 */
public final class OpenApiDocument {

    /** Where every service answers its document. */
    public static final String PATH = "/openapi.json";

    private final ObjectNode document;

    private OpenApiDocument(ObjectNode document) {
        this.document = document;
    }

    /**
     * @param resource a classpath resource, e.g. {@code "openapi/serving.json"}
     * @throws IllegalStateException when it is missing or not a JSON object: a packaging fault, found at start
     */
    public static OpenApiDocument load(String resource) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + resource + " is not on the classpath");
            }
            JsonNode json = JsonReply.JSON.readTree(in);
            if (!(json instanceof ObjectNode object) || !object.path("paths").isObject()) {
                throw new IllegalStateException("the OpenAPI document " + resource + " has no 'paths' object");
            }
            return new OpenApiDocument(object);
        } catch (IOException e) {
            throw new UncheckedIOException("the OpenAPI document " + resource + " could not be read", e);
        }
    }

    /**
     * This document with the paths and component schemas of {@code others} added (the demo answers the drift
     * monitor's and the retrainer's routes on the prediction server's port). Paths both describe (health, metrics)
     * keep this document's description.
     */
    public OpenApiDocument with(List<OpenApiDocument> others) {
        ObjectNode merged = document.deepCopy();
        for (OpenApiDocument other : others) {
            addMissing(merged.withObjectProperty("paths"), other.document.path("paths"));
            addMissing(merged.withObjectProperty("components").withObjectProperty("schemas"),
                    other.document.path("components").path("schemas"));
        }
        return new OpenApiDocument(merged);
    }

    /** Answers the document on {@link #PATH}. */
    public void mount(Router router) {
        router.get(PATH).handler(handler());
    }

    /** Answers the document (written once). */
    public Handler<RoutingContext> handler() {
        Buffer body = Buffer.buffer(JsonReply.bytes(json -> json.writeTree(document)));
        return context -> context.response().putHeader("Content-Type", "application/json").end(body);
    }

    private static void addMissing(ObjectNode into, JsonNode from) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = from.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!into.has(field.getKey())) {
                into.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }
}
