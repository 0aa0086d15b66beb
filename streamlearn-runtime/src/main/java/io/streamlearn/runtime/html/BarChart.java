package io.streamlearn.runtime.html;

import io.streamlearn.core.text.Html;
import io.streamlearn.runtime.html.ChartFrame.LegendEntry;
import io.streamlearn.runtime.html.ChartFrame.Swatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Grouped bars of shares per bin (a histogram of a reference and a current window, per-class scores) as inline SVG.
 * The value axis is in percent with nice ticks and a grid; below the bars either the bin edges (for numeric bins,
 * written at the boundaries between bars) or the bin names, every k-th one when they would not fit side by side.
 * Every bar's exact bin and value are in its tooltip.
 */
public final class BarChart {

    private record Group(String name, double[] values, String color) {
    }

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<String> bins;
    private final List<Group> groups = new ArrayList<>();
    private List<String> edges = List.of();
    private boolean percent = true;
    private double width = 560;
    private double height = 250;

    /** @param bins each bin's name (its range or category), shown in the tooltips and, without edges, on the axis */
    public BarChart(String title, String xTitle, String yTitle, List<String> bins) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.bins = List.copyOf(bins);
    }

    public BarChart size(double newWidth, double newHeight) {
        this.width = newWidth;
        this.height = newHeight;
        return this;
    }

    /** One bar per bin in the next palette colour; {@code values} are shares (0..1) unless {@link #plain()}. */
    public BarChart bars(String name, double[] values) {
        if (values.length != bins.size()) {
            throw new IllegalArgumentException("bars '" + name + "': " + values.length + " values, " + bins.size()
                    + " bins");
        }
        groups.add(new Group(name, values.clone(), ChartFrame.PALETTE[groups.size() % ChartFrame.PALETTE.length]));
        return this;
    }

    /** The {@code bins - 1} boundaries between consecutive bins, labelled on the axis instead of the bin names. */
    public BarChart edges(List<String> boundaries) {
        if (!boundaries.isEmpty() && boundaries.size() != bins.size() - 1) {
            throw new IllegalArgumentException(boundaries.size() + " edges for " + bins.size() + " bins");
        }
        this.edges = List.copyOf(boundaries);
        return this;
    }

    /** Values are plain numbers (e.g. F1 from 0 to 1), not shares shown in percent. */
    public BarChart plain() {
        this.percent = false;
        return this;
    }

    public String svg() {
        List<LegendEntry> legend = groups.stream().map(g -> new LegendEntry(g.name(), g.color(), Swatch.BOX)).toList();
        ChartFrame frame = new ChartFrame(title, width, height, legend, 46);
        double max = 0;
        for (Group group : groups) {
            for (double value : group.values()) {
                max = Double.isFinite(value) ? Math.max(max, value) : max;
            }
        }
        AxisScale y = AxisScale.nice(0, max > 0 ? max : 1);
        frame.yAxis(y, yTitle, percent);
        StringBuilder svg = frame.svg;
        double slot = (frame.right - frame.left) / Math.max(1, bins.size());
        double bar = Math.max(1, (slot - 4) / Math.max(1, groups.size()));
        svg.append("<g class=\"bars\">");
        for (int b = 0; b < bins.size(); b++) {
            for (int g = 0; g < groups.size(); g++) {
                double value = groups.get(g).values()[b];
                double top = y.pixel(Double.isFinite(value) ? value : 0, frame.bottom, frame.top);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\"><title>%s, %s: %s</title></rect>", frame.left + b * slot + 2 + g * bar, top,
                        Math.max(0.5, bar - 1), frame.bottom - top, groups.get(g).color(), Html.escape(bins.get(b)),
                        Html.escape(groups.get(g).name()), percent ? String.format(Locale.ROOT, "%.1f%%", 100 * value)
                                : String.format(Locale.ROOT, "%.4f", value)));
            }
        }
        svg.append("</g>");
        xLabels(frame, slot);
        return frame.end();
    }

    /** Edge labels at the boundaries, or bin names under the bars; thinned to every k-th so none overlap. */
    private void xLabels(ChartFrame frame, double slot) {
        boolean atEdges = !edges.isEmpty();
        List<String> labels = atEdges ? edges : bins;
        double widest = labels.stream().mapToDouble(l -> ChartFrame.textWidth(l, ChartFrame.FONT)).max().orElse(0);
        int every = Math.max(1, (int) Math.ceil((widest + 6) / slot));
        StringBuilder svg = frame.svg;
        svg.append("<g class=\"axis-x\">");
        for (int i = 0; i < labels.size(); i++) {
            double x = frame.left + (atEdges ? (i + 1) * slot : (i + 0.5) * slot);
            svg.append(String.format(Locale.ROOT, "<g class=\"tick\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                    + "y2=\"%.1f\" stroke=\"#888\"/>", x, x, frame.bottom, frame.bottom + 4));
            if (i % every == 0) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                        + "fill=\"#444\">%s</text>", x, frame.bottom + 18, Html.escape(labels.get(i))));
            }
            svg.append("</g>");
        }
        frame.xTitle(xTitle);
        svg.append("</g>");
    }
}
