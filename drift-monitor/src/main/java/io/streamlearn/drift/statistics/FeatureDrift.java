package io.streamlearn.drift.statistics;

import java.util.List;
import java.util.Optional;

/**
 * The verdict on one feature for one window pair.
 *
 * @param statistics every statistic computed, for reports and gauges
 * @param evidence   when the distribution drifts, the statistic that shows it (its p-value the test that gated it)
 * @param missing    when the missing-value rate drifts, its change
 * @param severity   {@code major} or {@code moderate} for a drifting distribution, {@code none} otherwise
 */
public record FeatureDrift(String feature, List<Statistic> statistics, Optional<Statistic> evidence,
        Optional<Statistic> missing, String severity) {

    public boolean distributionDrifts() {
        return evidence.isPresent();
    }

    public boolean missingRateDrifts() {
        return missing.isPresent();
    }
}
