package io.streamlearn.runtime.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives every Kafka Streams state-store meter the same tag keys. Kafka Streams tags a store's metrics with
 * {@code <store type>-state-id} ({@code rocksdb-state-id}, {@code in-memory-state-id}, ...), so a metric that stores of
 * two types share, such as {@code all-latency-avg}, arrives under one name with two sets of tag keys. Prometheus
 * allows one set per name: Micrometer's Prometheus registry refused the second type's meters with a WARN (seen in the
 * demo, whose trainer has RocksDB and in-memory stores), and their series were missing. Here the key is
 * {@code state.id} whatever the type: store names are unique within an application, so no store is lost.
 *
 * <p>The key is renamed, never added: Micrometer's Kafka binder skips a metric when a meter of the same name has more
 * tags than the metric itself (it takes that meter for the same metric with more detail), so an extra tag such as the
 * store type would hide every store but the first.
 */
final class StateStoreTags implements MeterFilter {

    private static final String STATE_METER_PREFIX = "kafka.stream.state.";
    private static final String STATE_ID = "state.id";
    private static final String ID_SUFFIX = "." + STATE_ID;

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(STATE_METER_PREFIX)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean renamed = false;
        for (Tag tag : id.getTagsAsIterable()) {
            String key = tag.getKey();
            if (key.endsWith(ID_SUFFIX) && key.length() > ID_SUFFIX.length()) {
                tags.add(Tag.of(STATE_ID, tag.getValue()));
                renamed = true;
            } else {
                tags.add(tag);
            }
        }
        return renamed ? id.replaceTags(tags) : id;
    }
}
