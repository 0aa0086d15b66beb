package io.streamlearn.drift.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConceptDriftMonitorTest {

    /** ADWIN and Page-Hinkley: both quiet on stationary Bernoulli streams, where DDM and HDDM-W alarm (docs/drift.md). */
    private final MonitorSettings settings = new MonitorSettings(5000, 1000, 250, 4, 8, 0.5, 1000, 64,
            MonitorSettings.DEFAULTS.thresholds(), List.of("adwin", "page-hinkley"), 1000);

    @Test
    void severalDetectorsSeeingOneErrorJumpRaiseOneAlert() {
        List<DriftAlert> alerts = run(errorRates(0.1, 0.4, 5_000, 20_000, 1));
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.kind()).isEqualTo(DriftKind.CONCEPT);
            assertThat(alert.feature()).isEqualTo(ConceptDriftMonitor.ERROR);
            assertThat(alert.current().toPosition()).isBetween(5_001L, 6_000L);
            assertThat(alert.reference().fromPosition()).isEqualTo(1);
        });
    }

    @Test
    void aStationaryErrorStreamRaisesNone() {
        assertThat(run(errorRates(0.2, 0.2, 0, 100_000, 2))).isEmpty();
    }

    private List<DriftAlert> run(boolean[] wrong) {
        ConceptDriftMonitor monitor = new ConceptDriftMonitor("m", settings);
        List<DriftAlert> alerts = new ArrayList<>();
        for (int i = 0; i < wrong.length; i++) {
            monitor.observe(new Observation(i + 1, 0, i, i, Map.of()), wrong[i]).ifPresent(alerts::add);
        }
        assertThat(monitor.outcomes()).isEqualTo(wrong.length);
        return alerts;
    }

    private static boolean[] errorRates(double before, double after, int change, int length, long seed) {
        Random random = new Random(seed);
        boolean[] wrong = new boolean[length];
        for (int i = 0; i < length; i++) {
            wrong[i] = random.nextDouble() < (i < change ? before : after);
        }
        return wrong;
    }
}
