package io.streamlearn.serve.http;

import io.streamlearn.serve.Readiness;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** {@code GET /health/live} (the process answers) and {@code GET /health/ready} (it can serve predictions). */
final class HealthHandler {

    private final Readiness readiness;

    HealthHandler(Readiness readiness) {
        this.readiness = readiness;
    }

    void live(RoutingContext context) {
        JsonReply.send(context, 200, JsonReply.object().put("status", "UP"));
    }

    void ready(RoutingContext context) {
        Optional<String> reason = readiness.notReadyReason();
        if (reason.isEmpty()) {
            JsonReply.send(context, 200, JsonReply.object().put("status", "UP"));
        } else {
            JsonReply.send(context, 503, JsonReply.object().put("status", "DOWN").put("reason", reason.get()));
        }
    }
}
