package io.streamlearn.serve.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.serve.Readiness;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
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

    /**
     * 200 {@code {"status": "UP"}}, or 200 {@code {"status": "DEGRADED", "degraded": [...]}} while serving what is
     * loaded with a part impaired, or 503 {@code {"status": "DOWN", "reason"}}.
     */
    void ready(RoutingContext context) {
        Optional<String> reason = readiness.notReadyReason();
        if (reason.isEmpty()) {
            List<String> degradations = readiness.degradations();
            ObjectNode body = JsonReply.object().put("status", degradations.isEmpty() ? "UP" : "DEGRADED");
            if (!degradations.isEmpty()) {
                degradations.forEach(body.putArray("degraded")::add);
            }
            JsonReply.send(context, 200, body);
        } else {
            JsonReply.send(context, 503, JsonReply.object().put("status", "DOWN").put("reason", reason.get()));
        }
    }
}
