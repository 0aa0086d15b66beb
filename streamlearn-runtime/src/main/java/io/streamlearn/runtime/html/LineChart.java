package io.streamlearn.runtime.html;

import io.streamlearn.core.text.Html;
import io.streamlearn.runtime.html.ChartFrame.LegendEntry;
import io.streamlearn.runtime.html.ChartFrame.Swatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lines over a numeric position (instances, rounds, window ends) as inline SVG: nice ticks and a grid on both axes,
 * the legend beside the plot, horizontal reference lines (thresholds) and vertical markers for events on the way
 * (drift alerts, promotions) with their labels above the plot where they fit. Points that are not finite are gaps.
 *
 * <pre>{@code
 * String svg = new LineChart("Prequential accuracy", "instances", "accuracy")
 *         .line("cumulative", xs, ys).marker(12_000, "v2", LineChart.Marker.PROMOTION).svg();
 * }</pre>
 */
public final class LineChart {

    /** A kind of vertical marker: its colour and its legend entry. */
    public enum Marker {
        ALERT("#d62728", "drift alert"), PROMOTION("#2ca02c", "promoted version"),
        NOT_PROMOTED("#7f7f7f", "retrained, not promoted");

        private final String color;
        private final String legend;

        Marker(String color, String legend) {
            this.color = color;
            this.legend = legend;
        }
    }

    private record Line(String name, double[] xs, double[] ys, String color, boolean dashed, double width) {
    }

    private record Rule(String name, double y) {
    }

    private record Mark(double x, String label, Marker kind) {
    }

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Line> lines = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private double width = 900;
    private double height = 320;
    private double yLow = Double.NaN;
    private double yHigh = Double.NaN;
    private boolean wholeX;

    public LineChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    public LineChart size(double newWidth, double newHeight) {
        this.width = newWidth;
        this.height = newHeight;
        return this;
    }

    /** A line in the next palette colour. */
    public LineChart line(String name, double[] xs, double[] ys) {
        return line(name, xs, ys, ChartFrame.PALETTE[lines.size() % ChartFrame.PALETTE.length], false, 2);
    }

    /** A line drawn as given: {@code width} 1 for context, 2.5 to stand out. */
    public LineChart line(String name, double[] xs, double[] ys, String color, boolean dashed, double strokeWidth) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("line '" + name + "': " + xs.length + " x values, " + ys.length + " y");
        }
        lines.add(new Line(name, xs.clone(), ys.clone(), color, dashed, strokeWidth));
        return this;
    }

    /** A dashed horizontal line across the plot, e.g. a threshold; in the legend. */
    public LineChart rule(String name, double y) {
        rules.add(new Rule(name, y));
        return this;
    }

    /** A vertical line at {@code x}; its label above the plot unless it would overlap another. */
    public LineChart marker(double x, String label, Marker kind) {
        marks.add(new Mark(x, label, kind));
        return this;
    }

    /** The x axis counts (rounds, trials): ticks on whole numbers only. */
    public LineChart wholeX() {
        wholeX = true;
        return this;
    }

    /** Values the y axis must show even where no line reaches (e.g. 0 and 1 for accuracy). */
    public LineChart include(double low, double high) {
        yLow = low;
        yHigh = high;
        return this;
    }

    public boolean isEmpty() {
        return lines.stream().allMatch(line -> finiteCount(line.ys()) == 0);
    }

    public String svg() {
        List<LegendEntry> legend = legend();
        double needed = 40 + legend.size() * 18 + 60;
        ChartFrame frame = new ChartFrame(title, width, Math.max(height, needed), legend, 46);
        AxisScale x = wholeX ? AxisScale.exactWhole(xRange()[0], xRange()[1])
                : AxisScale.exact(xRange()[0], xRange()[1]);
        double[] yRange = yRange();
        AxisScale y = AxisScale.nice(yRange[0], yRange[1]);
        frame.yAxis(y, yTitle, false);
        frame.xAxis(x, xTitle);
        StringBuilder svg = frame.svg;
        for (Rule rule : rules) {
            double py = y.pixel(rule.y(), frame.bottom, frame.top);
            svg.append(String.format(Locale.ROOT, "<line class=\"rule\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                    + "y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"6 4\"><title>%s = %s</title></line>", frame.left, frame.right,
                    py, py, Html.escape(rule.name()), y.label(rule.y())));
        }
        svg.append("<g class=\"lines\">");
        for (Line line : lines) {
            path(svg, line, x, y, frame);
        }
        svg.append("</g>");
        markers(frame, x);
        return frame.end();
    }

    private void path(StringBuilder svg, Line line, AxisScale x, AxisScale y, ChartFrame frame) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < line.xs().length; i++) {
            if (!Double.isFinite(line.ys()[i]) || !Double.isFinite(line.xs()[i])) {
                pen = false;
                continue;
            }
            d.append(pen ? 'L' : 'M').append(String.format(Locale.ROOT, "%.1f %.1f ",
                    x.pixel(line.xs()[i], frame.left, frame.right), y.pixel(line.ys()[i], frame.bottom, frame.top)));
            pen = true;
        }
        if (finiteCount(line.ys()) == 1) {
            int i = firstFinite(line.ys());
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                    x.pixel(line.xs()[i], frame.left, frame.right), y.pixel(line.ys()[i], frame.bottom, frame.top),
                    line.color()));
        }
        svg.append("<path class=\"series\" fill=\"none\" stroke-linejoin=\"round\" stroke=\"").append(line.color())
                .append(String.format(Locale.ROOT, "\" stroke-width=\"%.1f\"", line.width()))
                .append(line.dashed() ? " stroke-dasharray=\"5 3\"" : "").append(" d=\"")
                .append(d.toString().strip()).append("\"><title>").append(Html.escape(line.name()))
                .append("</title></path>");
    }

    /** Marker lines; each label centred above its line when it clears the previous label, else only its tooltip. */
    private void markers(ChartFrame frame, AxisScale x) {
        StringBuilder svg = frame.svg;
        svg.append("<g class=\"markers\">");
        double lastEnd = Double.NEGATIVE_INFINITY;
        for (Mark mark : marks.stream().sorted((a, b) -> Double.compare(a.x(), b.x())).toList()) {
            if (mark.x() < x.min() || mark.x() > x.max()) {
                continue;
            }
            double px = x.pixel(mark.x(), frame.left, frame.right);
            svg.append(String.format(Locale.ROOT, "<line class=\"marker\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                    + "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"><title>%s at %s</title>"
                    + "</line>", px, px, frame.top, frame.bottom, mark.kind().color, Html.escape(mark.label()),
                    x.label(mark.x())));
            double half = ChartFrame.textWidth(mark.label(), 10) / 2;
            double start = Math.max(frame.left, Math.min(px - half, frame.right - 2 * half));
            if (start > lastEnd + 4 && !mark.label().isEmpty()) {
                svg.append(String.format(Locale.ROOT, "<text class=\"marker-label\" x=\"%.1f\" y=\"%.1f\" "
                        + "font-size=\"10\" fill=\"%s\">%s</text>", start, frame.top - 5, mark.kind().color,
                        Html.escape(mark.label())));
                lastEnd = start + 2 * half;
            }
        }
        svg.append("</g>");
    }

    private List<LegendEntry> legend() {
        List<LegendEntry> entries = new ArrayList<>();
        for (Line line : lines) {
            entries.add(new LegendEntry(line.name(), line.color(), line.dashed() ? Swatch.DASHED : Swatch.LINE));
        }
        for (Rule rule : rules) {
            entries.add(new LegendEntry(rule.name(), "#555", Swatch.DASHED));
        }
        Map<Marker, Integer> kinds = new LinkedHashMap<>();
        marks.forEach(mark -> kinds.merge(mark.kind(), 1, Integer::sum));
        kinds.forEach((kind, count) -> entries.add(new LegendEntry(kind.legend + " (" + count + ")", kind.color,
                Swatch.MARKER)));
        return entries;
    }

    private double[] xRange() {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Line line : lines) {
            for (int i = 0; i < line.xs().length; i++) {
                if (Double.isFinite(line.xs()[i]) && Double.isFinite(line.ys()[i])) {
                    low = Math.min(low, line.xs()[i]);
                    high = Math.max(high, line.xs()[i]);
                }
            }
        }
        return low > high ? new double[] {0, 1} : new double[] {low, high};
    }

    private double[] yRange() {
        double low = Double.isFinite(yLow) ? yLow : Double.POSITIVE_INFINITY;
        double high = Double.isFinite(yHigh) ? yHigh : Double.NEGATIVE_INFINITY;
        for (Line line : lines) {
            for (double y : line.ys()) {
                if (Double.isFinite(y)) {
                    low = Math.min(low, y);
                    high = Math.max(high, y);
                }
            }
        }
        for (Rule rule : rules) {
            low = Math.min(low, rule.y());
            high = Math.max(high, rule.y());
        }
        return low > high ? new double[] {0, 1} : new double[] {low, high};
    }

    private static int finiteCount(double[] values) {
        int count = 0;
        for (double value : values) {
            count += Double.isFinite(value) ? 1 : 0;
        }
        return count;
    }

    private static int firstFinite(double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }
}
