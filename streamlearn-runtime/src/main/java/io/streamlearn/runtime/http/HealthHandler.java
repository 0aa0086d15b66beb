package io.streamlearn.runtime.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.Readiness;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /health/live} (every long-running part of the process runs) and {@code GET /health/ready} (it can serve
 * now). A process that is not live is not ready either.
 */
public final class HealthHandler {

    private final Readiness readiness;
    private final Liveness liveness;

    public HealthHandler(Readiness readiness, Liveness liveness) {
        this.readiness = readiness;
        this.liveness = liveness;
    }

    /** 200 {@code {"status": "UP"}}, or 503 {@code {"status": "DOWN", "reason"}} once a part has failed. */
    public void live(RoutingContext context) {
        Optional<String> failure = liveness.failure();
        if (failure.isEmpty()) {
            JsonReply.send(context, 200, JsonReply.object().put("status", "UP"));
        } else {
            down(context, failure.get());
        }
    }

    /**
     * 200 {@code {"status": "UP"}}, or 200 {@code {"status": "DEGRADED", "degraded": [...]}} while serving what is
     * loaded with a part impaired, or 503 {@code {"status": "DOWN", "reason"}}.
     */
    public void ready(RoutingContext context) {
        Optional<String> reason = liveness.failure().or(readiness::notReadyReason);
        if (reason.isEmpty()) {
            List<String> degradations = readiness.degradations();
            ObjectNode body = JsonReply.object().put("status", degradations.isEmpty() ? "UP" : "DEGRADED");
            if (!degradations.isEmpty()) {
                degradations.forEach(body.putArray("degraded")::add);
            }
            JsonReply.send(context, 200, body);
        } else {
            down(context, reason.get());
        }
    }

    private static void down(RoutingContext context, String reason) {
        JsonReply.send(context, 503, JsonReply.object().put("status", "DOWN").put("reason", reason));
    }
}
