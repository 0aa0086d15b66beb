package io.streamlearn.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON response bodies. */
final class JsonReply {

    static final ObjectMapper JSON = new ObjectMapper();

    private JsonReply() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Does nothing when the response has ended already: a request that timed out was answered 503 meanwhile. */
    static void send(RoutingContext context, int status, ObjectNode body) {
        if (context.response().ended()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body could not be written", e);
        }
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(bytes));
    }
}
