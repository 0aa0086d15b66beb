package io.streamlearn.drift.window;

import io.streamlearn.drift.statistics.FeatureSample;
import io.streamlearn.drift.statistics.NominalSample;
import io.streamlearn.drift.statistics.NumericSample;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run of consecutive records with a sample per feature: the reference window, or one step of the current one. */
final class Block implements Serializable {

    private final Map<String, FeatureSample> samples = new LinkedHashMap<>();
    private Observation first;
    private Observation last;
    private long size;

    Map<String, FeatureSample> samples() {
        return samples;
    }

    long size() {
        return size;
    }

    WindowBounds bounds() {
        return WindowBounds.of(first, last);
    }

    void extend(Observation observation) {
        if (first == null) {
            first = observation;
        }
        last = observation;
        size++;
    }

    /** A sample shaped like {@code like} (numeric or nominal) with the given reservoir capacity. */
    static FeatureSample emptyLike(FeatureSample like, int reservoirCapacity, int maxCategories, long seed) {
        return like instanceof NumericSample ? new NumericSample(reservoirCapacity, seed) : new NominalSample(maxCategories);
    }

    /** Adds one value; false when its type does not fit the sample (a string for a numeric feature, or the reverse). */
    static boolean add(FeatureSample sample, Object value) {
        if (value == null) {
            sample.addMissing();
            return true;
        }
        if (sample instanceof NumericSample numeric && value instanceof Double number) {
            numeric.add(number);
            return true;
        }
        if (sample instanceof NominalSample nominal && value instanceof String category) {
            nominal.add(category);
            return true;
        }
        return false;
    }
}
