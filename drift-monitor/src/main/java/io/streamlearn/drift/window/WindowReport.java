package io.streamlearn.drift.window;

import io.streamlearn.drift.statistics.FeatureDrift;
import java.util.List;

/**
 * The latest evaluation of one model's features (or predictions): every statistic of every feature, what
 * {@code GET /v1/drift/{model}} shows.
 *
 * @param driftShare the share of tested features whose distribution drifts in this window
 */
public record WindowReport(String model, DriftKind kind, WindowBounds reference, WindowBounds current,
        List<FeatureDrift> features, double driftShare) {
}
