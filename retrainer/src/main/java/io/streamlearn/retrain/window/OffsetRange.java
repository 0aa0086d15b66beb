package io.streamlearn.retrain.window;

/**
 * Records {@code [fromOffset, toOffset)} of one topic partition: a piece of a run's data version.
 *
 * @param toOffset exclusive: the end offset taken when the run started
 */
public record OffsetRange(String topic, int partition, long fromOffset, long toOffset) {

    public OffsetRange {
        if (fromOffset < 0 || toOffset < fromOffset) {
            throw new IllegalArgumentException("invalid offset range " + topic + "-" + partition + " [" + fromOffset
                    + ", " + toOffset + ")");
        }
    }
}
