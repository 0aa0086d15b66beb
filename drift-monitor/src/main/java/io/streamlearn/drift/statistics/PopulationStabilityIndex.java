package io.streamlearn.drift.statistics;

import java.util.Arrays;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Population stability index over bins cut at the reference's quantiles: {@code sum (c - r) ln(c / r)} over the bins,
 * r and c the reference and current shares (Siddiqi 2006, ch. 8). Both shares come from KLL sketches, so the bins of a
 * window that merges partitions or blocks are the same as those of one sketch.
 */
public final class PopulationStabilityIndex {

    /** Deciles, the usual choice (Siddiqi 2006). */
    public static final int DEFAULT_BINS = 10;
    /**
     * Floor for an empty bin's share, so the logarithm stays finite; 0.0001 as in Evidently's PSI implementation.
     */
    static final double EMPTY_BIN_SHARE = 1e-4;

    private PopulationStabilityIndex() {
    }

    public static double between(KllDoublesSketch reference, KllDoublesSketch current, int bins) {
        if (reference.isEmpty() || current.isEmpty()) {
            return Double.NaN;
        }
        double[] ranks = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            ranks[i - 1] = (double) i / bins;
        }
        // Ties in the reference (a feature with few distinct values) collapse bins: keep each cut once.
        double[] cuts = Arrays.stream(reference.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE)).distinct()
                .toArray();
        if (cuts.length == 0) {
            return Double.NaN;
        }
        return ofShares(reference.getPMF(cuts, QuantileSearchCriteria.INCLUSIVE),
                current.getPMF(cuts, QuantileSearchCriteria.INCLUSIVE));
    }

    /** PSI of two share vectors over the same bins. */
    public static double ofShares(double[] reference, double[] current) {
        if (reference.length != current.length) {
            throw new IllegalArgumentException("bins differ: " + reference.length + " vs " + current.length);
        }
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(reference[i], EMPTY_BIN_SHARE);
            double c = Math.max(current[i], EMPTY_BIN_SHARE);
            psi += (c - r) * Math.log(c / r);
        }
        return psi;
    }
}
