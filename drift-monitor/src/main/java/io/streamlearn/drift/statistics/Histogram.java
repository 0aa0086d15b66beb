package io.streamlearn.drift.statistics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * One feature's distribution in the reference and the current window over the same bins, for people to look at (the
 * HTML report), not for the tests. Numeric: {@value #WIDTH_BINS} equal-width bins between the reference's 1st and 99th
 * percentiles and one open bin on each side, shares from the KLL sketches; nominal: the categories of either window.
 *
 * @param bins      each bin's label ({@code "[0.12, 0.48)"}, or the category)
 * @param reference the reference's share per bin, and {@code current} the current window's
 * @param edges     numeric: the {@code bins - 1} boundaries between consecutive bins, as written in the labels;
 *                  nominal: empty
 */
public record Histogram(List<String> bins, double[] reference, double[] current, List<String> edges) {

    static final int WIDTH_BINS = 10;

    public Histogram {
        bins = List.copyOf(bins);
        edges = List.copyOf(edges);
    }

    /** The histogram of two windows of one feature; empty when either holds no value. */
    public static Histogram of(FeatureSample reference, FeatureSample current) {
        if (reference.count() == 0 || current == null || current.count() == 0) {
            return new Histogram(List.of(), new double[0], new double[0], List.of());
        }
        if (reference instanceof NumericSample ref && current instanceof NumericSample cur) {
            return numeric(ref, cur);
        }
        return nominal((NominalSample) reference, (NominalSample) current);
    }

    private static Histogram numeric(NumericSample reference, NumericSample current) {
        double low = reference.sketch().getQuantile(0.01, QuantileSearchCriteria.INCLUSIVE);
        double high = reference.sketch().getQuantile(0.99, QuantileSearchCriteria.INCLUSIVE);
        if (!(high > low)) {
            high = low + 1;
        }
        double[] cuts = new double[WIDTH_BINS + 1];
        for (int i = 0; i <= WIDTH_BINS; i++) {
            cuts[i] = low + (high - low) * i / WIDTH_BINS;
        }
        List<String> edges = new ArrayList<>();
        for (double cut : cuts) {
            edges.add(format(cut));
        }
        List<String> labels = new ArrayList<>();
        labels.add("< " + format(cuts[0]));
        for (int i = 0; i < WIDTH_BINS; i++) {
            labels.add("[" + format(cuts[i]) + ", " + format(cuts[i + 1]) + ")");
        }
        labels.add(">= " + format(cuts[WIDTH_BINS]));
        return new Histogram(labels, reference.sketch().getPMF(cuts, QuantileSearchCriteria.EXCLUSIVE),
                current.sketch().getPMF(cuts, QuantileSearchCriteria.EXCLUSIVE), edges);
    }

    private static Histogram nominal(NominalSample reference, NominalSample current) {
        Set<String> categories = new LinkedHashSet<>(reference.counts().keySet());
        categories.addAll(current.counts().keySet());
        List<String> bins = List.copyOf(categories);
        double[] ref = new double[bins.size()];
        double[] cur = new double[bins.size()];
        for (int i = 0; i < bins.size(); i++) {
            ref[i] = (double) reference.counts().getOrDefault(bins.get(i), 0L) / reference.count();
            cur[i] = (double) current.counts().getOrDefault(bins.get(i), 0L) / current.count();
        }
        return new Histogram(bins, ref, cur, List.of());
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
