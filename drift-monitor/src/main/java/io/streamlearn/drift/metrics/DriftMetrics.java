package io.streamlearn.drift.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The drift monitor's meters; counters are created on first use per model or reason. */
public final class DriftMetrics implements MeterBinder {

    private volatile MeterRegistry registry;

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
    }

    /** An event the monitor could not read, by reject reason ({@code RejectReason.code()}: a closed, small set). */
    public void invalidEvent(String reason) {
        Counter.builder("streamlearn.drift.invalid.events").tag("reason", reason)
                .description("Events on the events topic that the drift monitor could not read").register(registry())
                .increment();
    }

    private MeterRegistry registry() {
        MeterRegistry bound = registry;
        if (bound == null) {
            throw new IllegalStateException("DriftMetrics used before bindTo(registry)");
        }
        return bound;
    }
}
