package io.streamlearn.serve;

import java.util.Optional;

/** Whether the server should receive traffic; a load balancer asks through {@code GET /health/ready}. */
@FunctionalInterface
public interface Readiness {

    /** Why the server is not ready, or empty when it is. */
    Optional<String> notReadyReason();

    /** Ready once at least one model is served. */
    static Readiness modelsServed(ModelRegistry models) {
        return () -> models.isEmpty() ? Optional.of("no model is loaded yet") : Optional.empty();
    }

    /** Ready when this check and {@code other} both are; this one's reason comes first. */
    default Readiness and(Readiness other) {
        return () -> notReadyReason().or(other::notReadyReason);
    }
}
