package io.streamlearn.drift.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.learn.SafeSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FeatureDriftMonitorTest {

    private static final int CHANGE = 10_000;

    @Test
    void aCovariateShiftOfOneFeatureRaisesExactlyOneAlertForIt() {
        List<DriftAlert> alerts = run(1, 30_000, events -> events.shiftX(1.0));
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.model()).isEqualTo("m");
            assertThat(alert.kind()).isEqualTo(DriftKind.FEATURE);
            assertThat(alert.feature()).isEqualTo("x");
            assertThat(alert.statistic()).isEqualTo("psi");
            assertThat(alert.value()).isGreaterThanOrEqualTo(0.25);
            assertThat(alert.severity()).isEqualTo("major");
            assertThat(alert.pValue()).isLessThan(0.05 / 4);
            assertThat(alert.reference().fromPosition()).isEqualTo(1);
            assertThat(alert.reference().toPosition()).isEqualTo(5000);
            assertThat(alert.current().size()).isEqualTo(1000);
            // Confirmed after 4 drifting windows (steps of 250): the first holds 250 to 500 shifted records.
            assertThat(alert.current().toPosition()).isBetween((long) CHANGE + 750, (long) CHANGE + 1500);
            assertThat(alert.current().fromOffset()).isEqualTo(alert.current().fromPosition() - 1);
        });
    }

    @Test
    void aReferenceGivenWholeKeepsItsNewestRowsAndIsComparedFromTheFirstFullCurrentWindow() {
        FeatureDriftMonitor monitor = new FeatureDriftMonitor("m", DriftKind.FEATURE, MonitorSettings.DEFAULTS);
        SyntheticEvents training = new SyntheticEvents(6);
        List<Observation> rows = new ArrayList<>();
        for (int i = 1; i <= 6000; i++) {
            rows.add(new Observation(i - 6000, 0, 100 + i, 10L * i, training.next()));
        }
        monitor.resetReference(rows);
        assertThat(monitor.referenceSize()).isEqualTo(5000);

        SyntheticEvents live = new SyntheticEvents(7);
        for (int i = 1; i <= 999; i++) {
            monitor.observe(new Observation(i, 0, 10_000 + i, 100_000L + i, live.next()));
        }
        assertThat(monitor.latest()).as("the first window is full at the 1,000th record, not the 6,000th").isEmpty();
        assertThat(monitor.observe(new Observation(1000, 0, 11_000, 101_000L, live.next()))).isEmpty();
        WindowReport report = monitor.latest().orElseThrow();
        assertThat(report.reference()).isEqualTo(new WindowBounds(-4999, 0, 0, 1101, 6100, 10_010, 60_000));
        assertThat(report.reference().size()).isEqualTo(5000);
        assertThat(monitor.referenceSize()).as("the reference takes no live record").isEqualTo(5000);

        // Fewer rows than the reference size make a smaller reference, complete at once all the same.
        FeatureDriftMonitor small = new FeatureDriftMonitor("m", DriftKind.FEATURE, MonitorSettings.DEFAULTS);
        small.resetReference(rows.subList(0, 800));
        for (int i = 1; i <= 1000; i++) {
            small.observe(new Observation(i, 0, i, i, live.next()));
        }
        assertThat(small.latest()).hasValueSatisfying(r -> assertThat(r.reference().size()).isEqualTo(800));
    }

    /**
     * A monitor serialised by the build before references could be given whole (the merge base of branch drift-ref:
     * 6,000 records of x ~ N(0, 1), seed 7, default settings) still loads: FeatureWindows kept its serial identity, and
     * the field it gained reads as false (a reference built from the stream).
     */
    @Test
    void aMonitorSnapshottedByTheBuildBeforeTrainingReferencesStillLoadsAndCarriesOn() throws Exception {
        byte[] bytes;
        try (var in = FeatureDriftMonitorTest.class.getResourceAsStream(
                "/snapshots/feature-monitor-before-training-reference.ser")) {
            bytes = in.readAllBytes();
        }
        FeatureDriftMonitor monitor = SafeSerialization.deserialize(bytes, FeatureDriftMonitor.class);
        assertThat(monitor.referenceSize()).isEqualTo(5000);

        java.util.Random random = new java.util.Random(8);
        for (int i = 6001; i <= 6250; i++) {
            monitor.observe(new Observation(i, 0, i - 1, 1_000L * i, java.util.Map.of("x", random.nextGaussian())));
        }
        assertThat(monitor.referenceSize()).as("a streamed reference, complete, takes no more records").isEqualTo(5000);
        assertThat(monitor.latest()).hasValueSatisfying(report -> {
            assertThat(report.reference()).isEqualTo(new WindowBounds(1, 5000, 0, 0, 4999, 1000, 5_000_000));
            assertThat(report.current().toPosition()).isEqualTo(6250);
        });
    }

    @Test
    void aLongStationaryStreamRaisesNoAlert() {
        assertThat(run(2, 100_000, events -> { })).isEmpty();
    }

    @Test
    void aChangeOfCategoryFrequenciesAndOfTheMissingRateAreAlertedOnceEach() {
        List<DriftAlert> alerts = run(3, 30_000, events -> events.redShare(0.1).zMissing(0.4));
        assertThat(alerts).extracting(a -> a.feature() + ":" + a.statistic())
                .containsExactlyInAnyOrder("color:jensen_shannon", "z:missing_rate_change");
    }

    @Test
    void mostFeaturesDriftingTogetherIsAlsoADatasetDrift() {
        List<DriftAlert> alerts = run(4, 30_000, events -> events.shiftX(1).scaleY(2).redShare(0.1));
        assertThat(alerts).extracting(DriftAlert::feature).containsExactlyInAnyOrder("x", "y", "color",
                DriftAlert.DATASET);
    }

    @Test
    void theLatestReportHoldsEveryStatisticOfEveryFeature() {
        FeatureDriftMonitor monitor = new FeatureDriftMonitor("m", DriftKind.FEATURE, MonitorSettings.DEFAULTS);
        SyntheticEvents events = new SyntheticEvents(5);
        for (int i = 1; i <= 6000; i++) {
            monitor.observe(new Observation(i, 0, i - 1, 1_000L * i, events.next()));
        }
        WindowReport report = monitor.latest().orElseThrow();
        assertThat(report.current().toPosition()).isEqualTo(6000);
        assertThat(report.features()).extracting(f -> f.feature()).containsExactlyInAnyOrder("x", "y", "color", "z");
        assertThat(report.features().stream().filter(f -> f.feature().equals("x")).findFirst().orElseThrow()
                .statistics()).extracting(s -> s.name())
                .containsExactly("psi", "ks", "wasserstein", "missing_rate", "missing_rate_change");
    }

    private static List<DriftAlert> run(long seed, int length, Consumer<SyntheticEvents> change) {
        FeatureDriftMonitor monitor = new FeatureDriftMonitor("m", DriftKind.FEATURE, MonitorSettings.DEFAULTS);
        SyntheticEvents events = new SyntheticEvents(seed);
        List<DriftAlert> alerts = new ArrayList<>();
        for (int i = 1; i <= length; i++) {
            if (i == CHANGE + 1) {
                change.accept(events);
            }
            alerts.addAll(monitor.observe(new Observation(i, 0, i - 1, 1_000L * i, events.next())));
        }
        return alerts;
    }
}
