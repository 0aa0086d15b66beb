package io.streamlearn.drift.window;

import io.streamlearn.drift.concept.ConceptDriftDetector;
import io.streamlearn.drift.concept.ConceptDriftDetectors;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Concept drift of one model: the configured detectors read its prequential error stream; the first to fire raises
 * one alert and all detectors start afresh on the new concept; then nothing is raised for {@code conceptCooldown}
 * labelled predictions, while the new detectors learn the new error level. Without the fresh start ADWIN fired twice
 * on one change (it cuts its window in steps, the second time 2,000 outcomes later, in
 * PredictionAndConceptDriftTopologyTest); without the cooldown young detectors alarm on the new concept's first noisy
 * estimates (HDDM-A did, in ConceptDriftMonitorTest).
 *
 * <p>Only a rise of the error is a concept drift: a detector that fires while the recent error rate (an exponential
 * average over about {@value #RECENT} outcomes) lies below the rate since the last alert raises nothing. ADWIN and the
 * two-sided HDDM fire both ways, and a young online learner's error falls for thousands of events.
 *
 * <p>Regression has no right or wrong: a residual counts as an error when {@code |residual|} exceeds
 * {@value #SCALE_FACTOR} times the mean absolute residual of the first {@value #SCALE_WARMUP} residuals (after a
 * start or a {@link #reset()}), so every detector, DDM's binomial ones included, reads a 0/1 stream. For Gaussian
 * residuals that is {@code |r| > 1.6 sigma}, about 11% errors while the concept holds (mean |r| = sigma sqrt(2/pi)).
 */
public final class ConceptDriftMonitor implements Serializable {

    /** The {@code feature} of a concept alert: the error stream. */
    public static final String ERROR = "error";
    static final int SCALE_WARMUP = 500;
    static final double SCALE_FACTOR = 2.0;
    static final int RECENT = 100;

    private final String model;
    private final MonitorSettings settings;
    private List<ConceptDriftDetector> detectors;
    private Observation segmentStart;
    private long segmentOutcomes;
    private long segmentErrors;
    private double recentRate = Double.NaN;
    private long scaleCount;
    private double scaleSum;
    private long cooldownLeft;
    private long outcomes;
    private long errors;

    public ConceptDriftMonitor(String model, MonitorSettings settings) {
        this.model = model;
        this.settings = settings;
        this.detectors = newDetectors(settings);
    }

    private static List<ConceptDriftDetector> newDetectors(MonitorSettings settings) {
        return settings.detectors().stream().map(ConceptDriftDetectors::create).toList();
    }

    /**
     * A regression model's residual (label minus prediction): an error when it is large against the running scale
     * (see the class comment); nothing is fed while the scale is being learned.
     */
    public Optional<DriftAlert> observeResidual(Observation at, double residual) {
        double size = Math.abs(residual);
        if (scaleCount < SCALE_WARMUP) {
            scaleCount++;
            scaleSum += size;
            return Optional.empty();
        }
        return observe(at, size > SCALE_FACTOR * scaleSum / scaleCount);
    }

    /**
     * Starts afresh, as for a new model version: new detectors, no cooldown, the regression scale learned again.
     */
    public void reset() {
        detectors = newDetectors(settings);
        segmentStart = null;
        segmentOutcomes = 0;
        segmentErrors = 0;
        recentRate = Double.NaN;
        cooldownLeft = 0;
        scaleCount = 0;
        scaleSum = 0;
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
        segmentOutcomes++;
        segmentErrors += wrong ? 1 : 0;
        double error = wrong ? 1 : 0;
        recentRate = Double.isNaN(recentRate) ? error : recentRate + (error - recentRate) / RECENT;
        ConceptDriftDetector fired = null;
        for (ConceptDriftDetector detector : detectors) {
            if (detector.update(error) && fired == null) {
                fired = detector;
            }
        }
        if (fired != null && recentRate < (double) segmentErrors / segmentOutcomes) {
            fired = null;
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
        detectors = newDetectors(settings);
        segmentStart = null;
        segmentOutcomes = 0;
        segmentErrors = 0;
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
