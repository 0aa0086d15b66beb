package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.runtime.http.ErrorReply;
import io.streamlearn.runtime.http.JsonReply;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that answers failed requests, whether a handler threw, the body handler refused a body or no route
 * matched: {@code {"error": code, "detail": text, "field": feature}}, with the matching 4xx status. Anything else is
 * a fault of the server: it is logged with its stack trace and answered 500 without one.
 */
final class ErrorHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    /** The status of a request that timed out: the server, not the client, is at fault, and a retry may succeed. */
    static final int TIMEOUT_STATUS = 503;

    private static final String V2_PREFIX = "/v2";

    private final RequestMetrics metrics;

    ErrorHandler(RequestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext context) {
        ApiError error = describe(context);
        metrics.recordError(error.status(), error.code());
        if (context.response().headWritten()) {
            context.response().reset();
            return;
        }
        JsonReply.send(context, error.status(), body(context, error));
    }

    /**
     * The Open Inference Protocol's routes answer its error object, {@code {"error": message}}, whose message names the
     * field at fault; the simple API's add a code and the field.
     */
    private static ObjectNode body(RoutingContext context, ApiError error) {
        String path = context.request().path();
        if (path.equals(V2_PREFIX) || path.startsWith(V2_PREFIX + "/")) {
            return JsonReply.object().put("error", error.detail());
        }
        return ErrorReply.body(error.code(), error.detail(), error.field());
    }

    private static ApiError describe(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure instanceof ApiError apiError) {
            return apiError;
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : context.statusCode();
        String request = context.request().method() + " " + EventCodec.abbreviate(context.request().path());
        ErrorReply.Described reply = ErrorReply.forStatus(status, request).orElseGet(() -> {
            LOG.error("{} failed with status {}", request, context.statusCode(), failure);
            return ErrorReply.serverFault();
        });
        return new ApiError(reply.status(), reply.code(), reply.detail(), null);
    }
}
