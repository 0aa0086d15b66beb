package io.streamlearn.drift.statistics;

import java.lang.reflect.Field;
import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;

/**
 * Makes a KLL sketch's compactions repeat. DataSketches' KLL (6.2.0) picks the half of a level it keeps with one
 * JVM-wide {@code java.util.Random} ({@code KllSketch.random}, randomly seeded, shared by every sketch and thread), so
 * the same values gave different sketches, hence different PSI and Wasserstein values and alerts, from one run to the
 * next, and between a monitor that kept its windows in memory and one that restored them when its task moved
 * ({@code MonitorScaleOutTest}). Each update and merge here runs with that random reseeded from the caller's seed,
 * under one lock, so a sketch depends only on its values and seeds.
 */
final class SeededCompaction {

    private static final Random SHARED = shared();

    private SeededCompaction() {
    }

    static void update(KllDoublesSketch sketch, double value, long seed) {
        synchronized (SHARED) {
            SHARED.setSeed(seed);
            sketch.update(value);
        }
    }

    static void merge(KllDoublesSketch sketch, KllDoublesSketch other, long seed) {
        synchronized (SHARED) {
            SHARED.setSeed(seed);
            sketch.merge(other);
        }
    }

    private static Random shared() {
        try {
            Field field = KllSketch.class.getDeclaredField("random");
            field.setAccessible(true);
            return (Random) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("DataSketches' KllSketch.random was not found: this DataSketches version "
                    + "compacts differently; SeededCompaction must be revisited", e);
        }
    }
}
