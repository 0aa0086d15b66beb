package io.streamlearn.batch;

import java.util.List;

/**
 * The champion/challenger verdict: promote only when the challenger wins against every champion.
 *
 * @param promote     whether to publish the challenger
 * @param margin      the relative error reduction required
 * @param alpha       the significance level required
 * @param comparisons one per champion; empty when there was none (then the challenger is promoted)
 * @param reason      one sentence for the run record
 */
public record GateDecision(boolean promote, double margin, double alpha, List<Comparison> comparisons, String reason) {

    public GateDecision {
        comparisons = List.copyOf(comparisons);
    }

    /** The largest p-value over the champions ({@code NaN} without champions): the one that decided. */
    public double pValue() {
        return comparisons.stream().mapToDouble(Comparison::pValue).max().orElse(Double.NaN);
    }

    /** The test used ({@code none} without champions). */
    public String test() {
        return comparisons.isEmpty() ? "none" : comparisons.get(0).test();
    }
}
