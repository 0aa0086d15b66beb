package io.streamlearn.drift.window;

import io.streamlearn.drift.statistics.FeatureDrift;
import io.streamlearn.drift.statistics.Histogram;
import java.util.List;
import java.util.Map;

/**
 * The latest evaluation of one model's features (or predictions): every statistic of every feature, what
 * {@code GET /v1/drift/{model}} shows.
 *
 * @param driftShare the share of tested features whose distribution drifts in this window
 * @param histograms each feature's reference and current distribution, for the HTML report
 */
public record WindowReport(String model, DriftKind kind, WindowBounds reference, WindowBounds current,
        List<FeatureDrift> features, double driftShare, Map<String, Histogram> histograms) {
}
