package io.streamlearn.runtime.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;

/**
 * The one JSON error body of every streamlearn HTTP service, {@code {"error": code, "detail": text, "field": name}}
 * ({@code field} only where one is at fault), and the codes the services share. A service adds codes of its own
 * ({@code unknown_model}, the feature reject reasons, {@code unknown_run}, ...), never a second spelling of these.
 * docs/serving.md, "Errors", lists them all.
 */
public final class ErrorReply {

    /** 400: the request's shape or a parameter is wrong (what some services once called {@code bad_request}). */
    public static final String INVALID_REQUEST = "invalid_request";
    public static final String UNAUTHORIZED = "unauthorized";
    /** 403: the admin routes of a service started without an admin token. */
    public static final String ADMIN_DISABLED = "admin_disabled";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String BODY_TOO_LARGE = "body_too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String INTERNAL_ERROR = "internal_error";
    /** 503: a dependency (Kafka) did not answer; a retry may succeed. */
    public static final String UNAVAILABLE = "unavailable";
    /** 503: the request was not answered within {@code http.request-timeout-ms}. */
    public static final String REQUEST_TIMEOUT = "request_timeout";

    /** A status with its code and detail. */
    public record Described(int status, String code, String detail) {
    }

    private ErrorReply() {
    }

    public static ObjectNode body(String code, String detail, String field) {
        ObjectNode body = JsonReply.object().put("error", code).put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        return body;
    }

    /** Answers the error body, unless the response has ended (a timeout answered it meanwhile). */
    public static void send(RoutingContext context, int status, String code, String detail) {
        JsonReply.send(context, status, body(code, detail, null));
    }

    /**
     * What a failure that no route described (the body handler's refusal, no route, a timeout) answers, by status;
     * empty for a status that means a fault of the server, which the caller logs and answers {@link #serverFault}.
     *
     * @param request the method and path, for the detail
     */
    public static java.util.Optional<Described> forStatus(int status, String request) {
        return java.util.Optional.ofNullable(switch (status) {
            case 400 -> new Described(400, INVALID_REQUEST, "the request could not be read");
            case 404 -> new Described(404, NOT_FOUND, "no route for " + request);
            case 405 -> new Described(405, METHOD_NOT_ALLOWED, "method not allowed for " + request);
            case 413 -> new Described(413, BODY_TOO_LARGE, "the request body exceeds the server's limit");
            case 415 -> new Described(415, UNSUPPORTED_MEDIA_TYPE,
                    "the request body must be sent as Content-Type: application/json");
            case 503 -> new Described(503, REQUEST_TIMEOUT, "the request was not answered in time; retry it");
            default -> null;
        });
    }

    /** A fault of the server: no message of the failure reaches the client (it is in the service's log). */
    public static Described serverFault() {
        return new Described(500, INTERNAL_ERROR, "the server failed to answer this request; see its log");
    }
}
