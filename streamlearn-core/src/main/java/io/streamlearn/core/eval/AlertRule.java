package io.streamlearn.core.eval;

import java.io.Serializable;

/**
 * When an anomaly score raises an alert: above a fixed {@code threshold} on the detector's score scale, or, without
 * one, among the top {@code rate} of recent scores (at or above the {@code 1 - rate} quantile of the last
 * {@value #RECENT} scores, once {@value #WARM_UP} have been seen). The rate form needs no knowledge of the score scale, which differs per detector.
 */
public record AlertRule(Double threshold, double rate) implements Serializable {

    public static final double DEFAULT_RATE = 0.01;
    static final int WARM_UP = 100;
    /** How many recent scores the rate form ranks against. */
    static final int RECENT = 1000;

    public AlertRule {
        if (threshold != null && !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("anomaly threshold must be a finite number");
        }
        if (!(rate > 0 && rate < 1)) {
            throw new IllegalArgumentException("anomaly alert rate must be in (0, 1), not " + rate);
        }
    }

    public static AlertRule threshold(double threshold) {
        return new AlertRule(threshold, DEFAULT_RATE);
    }

    public static AlertRule topRate(double rate) {
        return new AlertRule(null, rate);
    }
}
