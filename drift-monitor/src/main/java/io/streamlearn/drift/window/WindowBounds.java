package io.streamlearn.drift.window;

import java.io.Serializable;

/**
 * Where a window lies in a model's stream: positions (the model's record count), input offsets and record times, all
 * inclusive.
 */
public record WindowBounds(long fromPosition, long toPosition, int partition, long fromOffset, long toOffset,
        long fromTime, long toTime) implements Serializable {

    public static WindowBounds of(Observation first, Observation last) {
        return new WindowBounds(first.position(), last.position(), last.partition(), first.offset(), last.offset(),
                first.timestamp(), last.timestamp());
    }

    /** The window from this one's start to {@code later}'s end. */
    public WindowBounds through(WindowBounds later) {
        return new WindowBounds(fromPosition, later.toPosition, later.partition, fromOffset, later.toOffset, fromTime,
                later.toTime);
    }

    public long size() {
        return toPosition - fromPosition + 1;
    }
}
