package io.streamlearn.runtime.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether the process still does its work; an orchestrator asks through {@code GET /health/live} and restarts it on a
 * 503. A process is a few long-running parts (a Kafka Streams client, a topic follower, the retrainer's loop), each
 * recording its own fatal failure once ({@link PartFailure}); the process is live while none has failed. A part never
 * recovers by itself, and a process that is not live is not ready either ({@link Readiness} is the other question:
 * whether it can serve now).
 *
 * <p>Meters, registered when bound, so they exist before any failure: {@code streamlearn.service.alive{part}} (1
 * running, 0 failed) and {@code streamlearn.service.failures{part}}, the part's failures since the process started (0
 * or 1, since a failed part stays failed).
 */
public final class Liveness implements MeterBinder {

    private static final Liveness NONE = new Liveness(List.of());

    private final List<PartFailure> parts;

    private Liveness(List<PartFailure> parts) {
        this.parts = parts;
    }

    public static Liveness of(PartFailure... parts) {
        return none().and(new Liveness(List.of(parts)));
    }

    /** A process with no long-running part besides its HTTP server: always live. */
    public static Liveness none() {
        return NONE;
    }

    /** Live while this one's parts and {@code other}'s all run; a part in both counts once. */
    public Liveness and(Liveness other) {
        List<PartFailure> all = new ArrayList<>(parts);
        other.parts.stream().filter(part -> all.stream().noneMatch(held -> held == part)).forEach(all::add);
        return new Liveness(List.copyOf(all));
    }

    /** Why the process should be restarted: the reason of every failed part; empty while all run. */
    public Optional<String> failure() {
        String reasons = parts.stream().map(PartFailure::reason).flatMap(Optional::stream)
                .collect(Collectors.joining("; "));
        return reasons.isEmpty() ? Optional.empty() : Optional.of(reasons);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (PartFailure part : parts) {
            Gauge.builder("streamlearn.service.alive", part, p -> p.reason().isEmpty() ? 1 : 0)
                    .tag("part", part.part())
                    .description("1 while the part runs, 0 once it failed (GET /health/live answers 503)")
                    .strongReference(true)
                    .register(registry);
            // Counted from the part's state: a failure is final for the process, so the count only goes 0 -> 1, and
            // a restart starts again at 0 (increase() reads that as a counter reset). The registry refers to the part
            // weakly; the part's owner holds it for as long as the process runs the part.
            FunctionCounter.builder("streamlearn.service.failures", part, p -> p.reason().isEmpty() ? 0 : 1)
                    .tag("part", part.part())
                    .description("Fatal failures of the part since the process started")
                    .register(registry);
        }
    }
}
