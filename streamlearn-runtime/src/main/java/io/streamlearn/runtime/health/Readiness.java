package io.streamlearn.runtime.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether the server should receive traffic; a load balancer asks through {@code GET /health/ready}. A server can be
 * ready and still degraded: it answers from the versions it holds while, say, Kafka is unreachable, so new versions
 * and pins wait. Degradations are reported for operators and never take the server out of rotation — that would turn a
 * Kafka outage into a serving outage.
 */
@FunctionalInterface
public interface Readiness {

    /** Why the server is not ready, or empty when it is. */
    Optional<String> notReadyReason();

    /** What works only in part, one sentence each; empty when nothing is impaired. */
    default List<String> degradations() {
        return List.of();
    }

    static Readiness of(Supplier<Optional<String>> notReadyReason, Supplier<List<String>> degradations) {
        return new Readiness() {
            @Override
            public Optional<String> notReadyReason() {
                return notReadyReason.get();
            }

            @Override
            public List<String> degradations() {
                return degradations.get();
            }
        };
    }

    /** Ready when this check and {@code other} both are; this one's reason comes first; degradations of both. */
    default Readiness and(Readiness other) {
        return of(() -> notReadyReason().or(other::notReadyReason), () -> {
            List<String> all = new ArrayList<>(degradations());
            all.addAll(other.degradations());
            return all;
        });
    }
}
