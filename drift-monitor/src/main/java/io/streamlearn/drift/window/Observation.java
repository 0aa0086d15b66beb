package io.streamlearn.drift.window;

import java.io.Serializable;
import java.util.Map;

/**
 * One record as the monitor sees it.
 *
 * @param position  the n-th record of this model's stream (1-based), the position alerts report
 * @param partition the input partition, and {@code offset} the record's offset in it
 * @param values    feature name to a {@code Double} (numeric), a {@code String} (nominal) or {@code null} (missing)
 */
public record Observation(long position, int partition, long offset, long timestamp, Map<String, Object> values) implements Serializable {
}
