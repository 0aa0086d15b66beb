package io.streamlearn.runtime.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A linear axis from data to pixels with "nice" ticks: steps of 1, 2 or 5 times a power of ten (Heckbert, "Nice
 * numbers for graph labels", Graphics Gems, 1990), the rule matplotlib's and d3's default locators follow.
 *
 * @param min   the domain's low end (a tick when {@link #nice} made it)
 * @param max   the domain's high end
 * @param step  the distance between ticks
 */
public record AxisScale(double min, double max, double step) {

    /** About this many ticks on an axis. */
    static final int TARGET_TICKS = 6;

    /** A scale whose ends are widened to the ticks around {@code low} and {@code high}: for value axes. */
    public static AxisScale nice(double low, double high) {
        double[] span = span(low, high);
        double step = step(span[0], span[1]);
        return new AxisScale(Math.floor(span[0] / step) * step, Math.ceil(span[1] / step) * step, step);
    }

    /** A scale over exactly {@code low..high}, ticks inside it: for a position axis (instances, rounds). */
    public static AxisScale exact(double low, double high) {
        double[] span = span(low, high);
        return new AxisScale(span[0], span[1], step(span[0], span[1]));
    }

    /** {@link #exact} with whole-number ticks: for counts (rounds, trials). */
    public static AxisScale exactWhole(double low, double high) {
        AxisScale scale = exact(low, high);
        return new AxisScale(scale.min(), scale.max(), Math.max(1, scale.step()));
    }

    private static double[] span(double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high)) {
            return new double[] {0, 1};
        }
        if (high > low) {
            return new double[] {low, high};
        }
        double pad = low == 0 ? 1 : Math.abs(low) * 0.1;
        return new double[] {low - pad, high + pad};
    }

    /** The 1, 2 or 5 × 10^k step that gives close to {@link #TARGET_TICKS} ticks over the span. */
    static double step(double low, double high) {
        double raw = (high - low) / (TARGET_TICKS - 1);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        double nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        return nice * magnitude;
    }

    /** The tick values inside the domain, ascending. */
    public List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        double first = Math.ceil(min / step - 1e-9) * step;
        for (int i = 0; first + i * step <= max + step * 1e-9; i++) {
            double value = first + i * step;
            ticks.add(Math.abs(value) < step * 1e-9 ? 0 : value);
        }
        return ticks;
    }

    /** The pixel of {@code value} on an axis from {@code from} (at min) to {@code to} (at max). */
    public double pixel(double value, double from, double to) {
        return from + (to - from) * (value - min) / (max - min);
    }

    /** A tick's label: as many decimals as the step needs; thousands as {@code 10k} once ticks are that far apart. */
    public String label(double value) {
        if (step >= 1000 && Math.abs(max) >= 10_000) {
            double thousands = value / 1000;
            return decimals(step / 1000, thousands) + "k";
        }
        return decimals(step, value);
    }

    private static String decimals(double step, double value) {
        int places = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, places == 0 ? "%,.0f" : "%." + places + "f", value);
    }
}
