package io.streamlearn.drift.window;

import io.streamlearn.drift.statistics.FeatureSample;
import io.streamlearn.drift.statistics.Histogram;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The histograms of a window report, computed when first read (the HTML page, the JSON report) rather than at every
 * evaluation: most reports are replaced unread, and the histograms were a tenth of the evaluation's cost. Holds the
 * window's merged samples until then (one window per model and kind). Safe to read from any thread.
 */
final class LazyHistograms extends AbstractMap<String, Histogram> {

    private final Map<String, FeatureSample> reference;
    private final Map<String, FeatureSample> current;
    private Map<String, Histogram> computed;

    LazyHistograms(Map<String, FeatureSample> reference, Map<String, FeatureSample> current) {
        this.reference = reference;
        this.current = current;
    }

    @Override
    public synchronized Set<Entry<String, Histogram>> entrySet() {
        if (computed == null) {
            Map<String, Histogram> histograms = new LinkedHashMap<>();
            reference.forEach((feature, sample) -> histograms.put(feature, Histogram.of(sample, current.get(feature))));
            computed = histograms;
        }
        return computed.entrySet();
    }

    @Override
    public Histogram get(Object feature) {
        entrySet();
        synchronized (this) {
            return computed.get(feature);
        }
    }
}
