package io.streamlearn.runtime.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/** Writes JSON response bodies. */
public final class JsonReply {

    /**
     * Doubles are written with Jackson's Schubfach writer: {@code Double.toString} of Java 17 was most of the cost of a
     * batch answer (two scores per instance). Both write a number that reads back as the same double.
     */
    public static final ObjectMapper JSON =
            new ObjectMapper(JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build());

    /** Writes a body straight to a generator, without building a tree first. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private JsonReply() {
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Does nothing when the response has ended already: a request that timed out was answered 503 meanwhile. */
    public static void send(RoutingContext context, int status, ObjectNode body) {
        if (context.response().ended()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body could not be written", e);
        }
        end(context, status, bytes);
    }

    /** As {@link #send(RoutingContext, int, ObjectNode)}, for a body written by a generator. */
    public static void send(RoutingContext context, int status, Body body) {
        if (context.response().ended()) {
            return;
        }
        end(context, status, bytes(body));
    }

    /** The bytes a generator writes. */
    public static byte[] bytes(Body body) {
        ByteArrayBuilder bytes = new ByteArrayBuilder();
        try (JsonGenerator json = JSON.getFactory().createGenerator(bytes)) {
            body.write(json);
        } catch (IOException e) {
            throw new IllegalStateException("response body could not be written", e);
        }
        return bytes.toByteArray();
    }

    private static void end(RoutingContext context, int status, byte[] bytes) {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(bytes));
    }
}
