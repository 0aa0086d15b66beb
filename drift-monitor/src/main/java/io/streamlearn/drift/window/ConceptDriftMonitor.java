package io.streamlearn.drift.window;

import io.streamlearn.drift.concept.ConceptDriftDetector;
import io.streamlearn.drift.concept.ConceptDriftDetectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Concept drift of one model: the configured detectors read its prequential error stream; the first to fire raises
 * one alert, then nothing is raised for {@code conceptCooldown} labelled predictions, so detectors that agree late do
 * not repeat it. Each MOA detector restarts itself after it fires; restarting all of them at once instead made young
 * detectors alarm again on the new concept's first noisy estimates (HDDM-A did, in ConceptDriftMonitorTest).
 */
public final class ConceptDriftMonitor {

    /** The {@code feature} of a concept alert: the error stream. */
    public static final String ERROR = "error";

    private final String model;
    private final MonitorSettings settings;
    private final List<ConceptDriftDetector> detectors;
    private Observation segmentStart;
    private long cooldownLeft;
    private long outcomes;
    private long errors;

    public ConceptDriftMonitor(String model, MonitorSettings settings) {
        this.model = model;
        this.settings = settings;
        this.detectors = settings.detectors().stream().map(ConceptDriftDetectors::create).toList();
    }

    /**
     * @param at    where the labelled prediction lies in the model's stream (the event's position, offset and time)
     * @param wrong whether the prediction missed the label
     */
    public Optional<DriftAlert> observe(Observation at, boolean wrong) {
        outcomes++;
        errors += wrong ? 1 : 0;
        if (segmentStart == null) {
            segmentStart = at;
        }
        ConceptDriftDetector fired = null;
        for (ConceptDriftDetector detector : detectors) {
            if (detector.update(wrong ? 1 : 0) && fired == null) {
                fired = detector;
            }
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            return Optional.empty();
        }
        if (fired == null) {
            return Optional.empty();
        }
        DriftAlert alert = new DriftAlert(model, DriftKind.CONCEPT, ERROR, fired.name(), fired.estimation(), Double.NaN,
                Double.NaN, "major", WindowBounds.of(segmentStart, at), WindowBounds.of(at, at));
        segmentStart = null;
        cooldownLeft = settings.conceptCooldown();
        return Optional.of(alert);
    }

    /** Labelled predictions seen. */
    public long outcomes() {
        return outcomes;
    }

    /** Labelled predictions that missed their label. */
    public long errors() {
        return errors;
    }

    /** Each detector's current error-rate estimate. */
    public Map<String, Double> estimations() {
        Map<String, Double> estimates = new LinkedHashMap<>();
        detectors.forEach(d -> estimates.put(d.name(), d.estimation()));
        return estimates;
    }
}
