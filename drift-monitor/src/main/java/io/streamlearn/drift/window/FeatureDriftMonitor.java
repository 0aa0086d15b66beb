package io.streamlearn.drift.window;

import io.streamlearn.drift.statistics.FeatureComparison;
import io.streamlearn.drift.statistics.FeatureDrift;
import io.streamlearn.drift.statistics.FeatureSample;
import io.streamlearn.drift.statistics.Statistic;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Feature (or prediction) drift of one model: windows its records, compares the current window with the reference
 * at every step, and turns verdicts into alerts through one {@link DriftSignal} per feature distribution, per feature
 * missing rate and for the dataset.
 */
public final class FeatureDriftMonitor implements Serializable {

    /** The class's identity before {@link #resetReference(List)} was added, so earlier snapshots still load. */
    private static final long serialVersionUID = -8833939379971463628L;

    private final String model;
    private final DriftKind kind;
    private final MonitorSettings settings;
    private final FeatureComparison comparison;
    private FeatureWindows windows;
    private final Map<String, DriftSignal> signals = new HashMap<>();
    private transient WindowReport latest;

    public FeatureDriftMonitor(String model, DriftKind kind, MonitorSettings settings) {
        this.model = model;
        this.kind = kind;
        this.settings = settings;
        this.comparison = new FeatureComparison(settings.thresholds());
        this.windows = new FeatureWindows(settings, (model + kind).hashCode());
    }

    /** Adds one record; the alerts it confirms (usually none). */
    public List<DriftAlert> observe(Observation observation) {
        Optional<FeatureWindows.Pair> pair = windows.observe(observation);
        if (pair.isEmpty()) {
            return List.of();
        }
        return evaluate(pair.get());
    }

    /**
     * Starts a new reference window (the next {@code referenceSize} records) and clears every signal's hysteresis
     * and cooldown: the model was replaced, so its new training data is the new baseline.
     */
    public void resetReference() {
        windows = new FeatureWindows(settings, (model + kind).hashCode());
        signals.clear();
    }

    /**
     * Makes {@code rows} the reference at once (a new batch model's training rows, the newest {@code referenceSize} of
     * them when there are more), clears every signal, and compares from the next full current window on: no records
     * are spent building a reference after the promotion.
     */
    public void resetReference(List<Observation> rows) {
        resetReference();
        windows.closeReference(rows);
    }

    public Optional<WindowReport> latest() {
        return Optional.ofNullable(latest);
    }

    /** Values whose type did not fit their feature's type in the reference. */
    public long typeMismatches() {
        return windows.mismatches();
    }

    /** The features monitored (named in the reference). */
    public Set<String> monitoredFeatures() {
        return windows.features();
    }

    /**
     * At most {@code max} of a record's values: those of the features already monitored, then new ones in name order.
     * What is journaled stays bounded (an event of 1 MB of short numeric features encodes to about 2 MB), and the
     * choice is the same on a replay, which reads the journal.
     */
    public Map<String, Object> bounded(Map<String, Object> values, int max) {
        if (values.size() <= max) {
            return values;
        }
        Set<String> monitored = monitoredFeatures();
        Map<String, Object> kept = new HashMap<>();
        List<String> others = new ArrayList<>();
        values.forEach((feature, value) -> {
            if (monitored.contains(feature)) {
                kept.put(feature, value);
            } else {
                others.add(feature);
            }
        });
        Collections.sort(others);
        for (String feature : others) {
            if (kept.size() >= max) {
                break;
            }
            kept.put(feature, values.get(feature));
        }
        return kept;
    }

    /** Values of features beyond {@link MonitorSettings#maxFeatures()}, seen by the reference and not monitored. */
    public long unmonitoredValues() {
        return windows.unmonitored();
    }

    /** Records in the reference window so far, and the current window's size once evaluated. */
    public long referenceSize() {
        return windows.referenceSize();
    }

    private List<DriftAlert> evaluate(FeatureWindows.Pair pair) {
        int tests = pair.reference().size();
        List<FeatureDrift> verdicts = new ArrayList<>(tests);
        for (Map.Entry<String, FeatureSample> entry : pair.reference().entrySet()) {
            verdicts.add(comparison.compare(entry.getKey(), entry.getValue(), pair.current().get(entry.getKey()), tests));
        }
        long drifting = verdicts.stream().filter(FeatureDrift::distributionDrifts).count();
        double share = tests == 0 ? 0 : (double) drifting / tests;
        latest = new WindowReport(model, kind, pair.referenceBounds(), pair.currentBounds(), List.copyOf(verdicts),
                share, new LazyHistograms(pair.reference(), pair.current()));

        List<DriftAlert> alerts = new ArrayList<>();
        for (FeatureDrift verdict : verdicts) {
            String feature = verdict.feature();
            if (signal(feature + "/distribution").update(verdict.distributionDrifts())) {
                alerts.add(alert(feature, verdict.evidence().orElseThrow(), verdict.severity(), pair));
            }
            if (signal(feature + "/missing").update(verdict.missingRateDrifts())) {
                Statistic change = verdict.missing().orElseThrow();
                alerts.add(alert(feature, change,
                        Math.abs(change.value()) >= 2 * change.threshold() ? "major" : "moderate", pair));
            }
        }
        if (signal(DriftAlert.DATASET).update(share >= settings.datasetShare())) {
            alerts.add(alert(DriftAlert.DATASET, new Statistic("drift_share", share, settings.datasetShare(), Double.NaN),
                    share >= Math.min(1.0, 2 * settings.datasetShare()) ? "major" : "moderate", pair));
        }
        return alerts;
    }

    private DriftAlert alert(String feature, Statistic statistic, String severity, FeatureWindows.Pair pair) {
        return new DriftAlert(model, kind, feature, statistic.name(), statistic.value(), statistic.threshold(),
                statistic.pValue(), severity, pair.referenceBounds(), pair.currentBounds());
    }

    private DriftSignal signal(String key) {
        return signals.computeIfAbsent(key, k -> new DriftSignal(settings.confirmWindows(), settings.cooldownWindows()));
    }
}
