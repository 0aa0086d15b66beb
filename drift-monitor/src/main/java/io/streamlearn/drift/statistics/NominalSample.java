package io.streamlearn.drift.statistics;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A window of one nominal feature: exact counts per category, at most {@code maxCategories} of them; later new
 * categories are counted together under {@link #OTHER}. Memory per feature: one map entry per category (about 100
 * bytes with the string), so at most about {@code 100 * maxCategories} bytes.
 */
public final class NominalSample implements FeatureSample, Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public static final String OTHER = "(other)";

    private final int maxCategories;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long count;
    private long missing;

    public NominalSample(int maxCategories) {
        if (maxCategories < 2) {
            throw new IllegalArgumentException("maxCategories must be at least 2");
        }
        this.maxCategories = maxCategories;
    }

    public void add(String category) {
        add(category, 1);
    }

    private void add(String category, long times) {
        String key = counts.containsKey(category) || counts.size() < maxCategories - 1 ? category : OTHER;
        counts.merge(key, times, Long::sum);
        count += times;
    }

    @Override
    public void addMissing() {
        missing++;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long missing() {
        return missing;
    }

    public Map<String, Long> counts() {
        return Collections.unmodifiableMap(counts);
    }

    @Override
    public void merge(FeatureSample other) {
        NominalSample that = (NominalSample) other;
        that.counts.forEach(this::add);
        missing += that.missing;
    }
}
