package io.streamlearn.drift.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.drift.window.DriftKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftMetricsTest {

    /**
     * A declared model's alert counters exist at zero before its first event: the drift alert rule's increase() needs
     * a sample from before the first alert, and a monitor that catches up on a backlog can raise it within one scrape.
     */
    @Test
    void declaredModelsHaveTheirAlertCountersAtZeroBeforeAnyEvent() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftMetrics metrics = new DriftMetrics();
        metrics.bindTo(registry);

        metrics.declareModels(List.of("electricity", "bikes"));

        for (String model : List.of("electricity", "bikes")) {
            assertThat(registry.find("streamlearn.drift.alerts").tag("model", model).counters())
                    .hasSize(DriftKind.values().length).allSatisfy(counter -> assertThat(counter.count()).isZero());
            assertThat(registry.find("streamlearn.drift.retrain.requests").tag("model", model).counters())
                    .extracting(Counter::count).containsExactly(0.0);
        }
    }
}
