package io.streamlearn.drift.statistics;

import java.io.Serial;
import java.io.Serializable;

/**
 * The reservoirs' random source: SplitMix64 (Steele, Lea and Flood, <i>Fast splittable pseudorandom number
 * generators</i>, OOPSLA 2014; the generator behind {@code java.util.SplittableRandom}), whose whole state is one long,
 * so a sample written to a state store and read back draws the same numbers as one that never stopped.
 * {@code SplittableRandom} itself is not serializable.
 */
final class SeededRandom implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SeededRandom(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound) by rejection, so no value is favoured (as {@code SplittableRandom.nextLong(bound)}). */
    long nextLong(long bound) {
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    int nextInt(int bound) {
        return (int) nextLong(bound);
    }
}
