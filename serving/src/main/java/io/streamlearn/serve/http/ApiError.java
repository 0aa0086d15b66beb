package io.streamlearn.serve.http;

import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;

/**
 * A request the API refuses, thrown by a handler and answered by {@link ErrorHandler} as
 * {@code {"error": code, "detail": detail, "field": field}}. It carries no stack trace: it describes the client's
 * mistake, not a fault of the server.
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    ApiError(int status, String code, String detail, String field) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    static ApiError badRequest(String code, String detail) {
        return new ApiError(400, code, detail, null);
    }

    static ApiError unknownModel(String name) {
        return new ApiError(404, "unknown_model", "no model named '" + name + "' is served", null);
    }

    static ApiError unknownVersion(String name, String version) {
        return new ApiError(404, "unknown_version", "model '" + name + "' has no version '"
                + EventCodec.abbreviate(version) + "' on this server", null);
    }

    static ApiError tooManyInstances(int limit, int given) {
        return new ApiError(413, "too_many_instances", "a request may hold at most " + limit
                + " instances, this one holds " + given, null);
    }

    static ApiError explainNotSupported(String detail) {
        return new ApiError(501, "explain_not_supported", detail, null);
    }

    /** A feature the model's schema refuses; the code is the {@code RejectReason} the trainer would use. */
    static ApiError invalidFeatures(InvalidRecordException e) {
        return new ApiError(400, e.reason().code(), e.getMessage(), e.field());
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String detail() {
        return getMessage();
    }

    /** The feature at fault, or {@code null}. */
    String field() {
        return field;
    }
}
