package io.streamlearn.drift.statistics;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;

/**
 * A window of one numeric feature: a KLL quantile sketch (PSI bins, Wasserstein), a uniform reservoir sample (KS test),
 * the running mean and variance (Welford; merged with Chan et al.'s pairwise formula) and the missing count.
 *
 * <p>Memory is bounded whatever the window size: the KLL sketch with k = {@value #KLL_K} keeps at most
 * {@link #maxSketchBytes()} bytes (normalised rank error about 1.3%, Karnin, Lang and Liberty, <i>Optimal quantile
 * approximation in streams</i>, FOCS 2016; DataSketches' KLL docs), the reservoir {@code 8 * capacity} bytes.
 *
 * <p>Serializable so a window survives a restart: the sketch is written in DataSketches' own compact form
 * ({@code toByteArray}, read back with {@code heapify}), the reservoir's random source with its state.
 */
public final class NumericSample implements FeatureSample, Serializable {

    public static final int KLL_K = 200;
    @Serial
    private static final long serialVersionUID = 1L;

    private transient KllDoublesSketch sketch;
    private final double[] reservoir;
    private final SeededRandom random;
    /** The seed of the sketch's compactions ({@link SeededCompaction}), with the values seen so far. */
    private final long sketchSeed;
    private int held;
    private transient double[] sorted;
    private long count;
    private long missing;
    private double mean;
    private double m2;

    /**
     * @param reservoirCapacity values kept for the KS test
     * @param seed              the reservoir's random seed, fixed so runs repeat
     */
    public NumericSample(int reservoirCapacity, long seed) {
        this.sketch = KllDoublesSketch.newHeapInstance(KLL_K);
        this.reservoir = new double[reservoirCapacity];
        this.random = new SeededRandom(seed);
        this.sketchSeed = seed;
    }

    /** Upper bound of the sketch's size for any stream length (DataSketches' own bound for 2^40 items). */
    public static long maxSketchBytes() {
        return KllSketch.getMaxSerializedSizeBytes(KLL_K, 1L << 40, KllSketch.SketchType.DOUBLES_SKETCH, true);
    }

    public void add(double value) {
        sorted = null;
        SeededCompaction.update(sketch, value, sketchSeed ^ count * 0x9E3779B97F4A7C15L);
        count++;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        // Vitter's algorithm R: the first `capacity` values, then each later one replaces a random slot with
        // probability capacity / count.
        if (held < reservoir.length) {
            reservoir[held++] = value;
        } else if (reservoir.length > 0) {
            long slot = random.nextLong(count);
            if (slot < reservoir.length) {
                reservoir[(int) slot] = value;
            }
        }
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

    public KllDoublesSketch sketch() {
        return sketch;
    }

    /** The reservoir's values (a copy). */
    public double[] sample() {
        return Arrays.copyOf(reservoir, held);
    }

    /** The reservoir's values sorted, cached until the sample changes (a complete reference never does). */
    public double[] sortedSample() {
        if (sorted == null) {
            sorted = sample();
            Arrays.sort(sorted);
        }
        return sorted;
    }

    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Population standard deviation. */
    public double standardDeviation() {
        return count == 0 ? Double.NaN : Math.sqrt(m2 / count);
    }

    public int reservoirCapacity() {
        return reservoir.length;
    }

    /**
     * Merges the sketch and moments exactly. The reservoirs are concatenated, then thinned at random to this sample's
     * capacity: for the equal-sized blocks of a sliding window that is a stratified uniform sample of their union.
     */
    @Override
    public void merge(FeatureSample other) {
        NumericSample that = (NumericSample) other;
        sorted = null;
        SeededCompaction.merge(sketch, that.sketch, sketchSeed ^ (count * 31 + that.count) * 0x9E3779B97F4A7C15L);
        long total = count + that.count;
        if (total > 0) {
            double delta = that.mean - mean;
            m2 += that.m2 + delta * delta * count * that.count / total;
            mean += delta * that.count / total;
        }
        count = total;
        missing += that.missing;
        for (int i = 0; i < that.held; i++) {
            if (held < reservoir.length) {
                reservoir[held++] = that.reservoir[i];
            } else {
                int slot = random.nextInt(held + 1);
                if (slot < reservoir.length) {
                    reservoir[slot] = that.reservoir[i];
                }
            }
        }
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        byte[] bytes = sketch.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        sketch = KllDoublesSketch.heapify(Memory.wrap(bytes));
    }
}
