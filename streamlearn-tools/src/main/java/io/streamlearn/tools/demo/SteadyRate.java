package io.streamlearn.tools.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The trainer's rate over the second half of a replay: a one-pass demo of a few seconds spends its first seconds in
 * start-up and in a JVM still compiling its code, which a benchmark's steady state leaves out. Fed with the trainer's
 * own count of processed events as the demo polls it.
 */
final class SteadyRate {

    private record Sample(long nanos, double count) {
    }

    private final List<Sample> samples = new ArrayList<>();

    /** The trainer's processed-event count at {@code nanos} ({@link System#nanoTime}); counts never go down. */
    void record(long nanos, double count) {
        samples.add(new Sample(nanos, count));
    }

    /**
     * Events per second between the first sample at or past half of {@code total} and the first at {@code total}; empty
     * while the count has not reached {@code total} or when both fall on one sample.
     */
    OptionalDouble secondHalf(long total) {
        Sample half = first(total / 2.0);
        Sample end = first(total);
        if (half == null || end == null || end.nanos() <= half.nanos()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((end.count() - half.count()) / ((end.nanos() - half.nanos()) / 1e9));
    }

    private Sample first(double count) {
        for (Sample sample : samples) {
            if (sample.count() >= count) {
                return sample;
            }
        }
        return null;
    }
}
