package io.streamlearn.runtime.html;

import io.streamlearn.core.text.Html;
import java.util.List;
import java.util.Locale;

/**
 * What every chart shares: the SVG element, the title, the plot area with its grid, tick labels and axis titles, and
 * the legend, which sits to the right of the plot area so it never covers data. Classes name the parts
 * ({@code chart}, {@code plot-area}, {@code axis-x}, {@code axis-y}, {@code tick}, {@code legend}, {@code item}) so a
 * browser test can find them.
 */
final class ChartFrame {

    static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
        "#bcbd22", "#17becf"};
    static final double FONT = 11;
    private static final double LEGEND_ROW = 18;
    private static final int LEGEND_CHARS = 30;

    /** How an entry's swatch is drawn. */
    enum Swatch { LINE, DASHED, BOX, MARKER }

    record LegendEntry(String label, String color, Swatch swatch) {
    }

    final StringBuilder svg = new StringBuilder(8192);
    final double width;
    final double height;
    final double left;
    final double top;
    final double right;
    final double bottom;
    private final double legendX;

    ChartFrame(String title, double width, double height, List<LegendEntry> legend, double bottomMargin) {
        this.width = width;
        this.height = height;
        double legendWidth = legend.stream().mapToDouble(e -> textWidth(shortened(e.label()), FONT)).max().orElse(0);
        this.left = 62;
        this.top = 40;
        this.right = width - (legend.isEmpty() ? 16 : legendWidth + 48);
        this.bottom = height - bottomMargin;
        this.legendX = right + 14;
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" width=\"%.0f\" "
                + "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s\" font-family=\"sans-serif\" "
                + "font-size=\"%.0f\">", width, height, width, height, Html.escape(title), FONT));
        svg.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%.1f\" y=\"16\" font-size=\"13\" "
                + "font-weight=\"bold\">%s</text>", left, Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<rect class=\"plot-area\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                + "height=\"%.1f\" fill=\"#fff\" stroke=\"#888\"/>", left, top, right - left, bottom - top));
        legend(legend);
    }

    /** Horizontal grid lines and labels of the value axis, and its title written upwards. */
    void yAxis(AxisScale scale, String title, boolean percent) {
        svg.append("<g class=\"axis-y\">");
        for (double tick : scale.ticks()) {
            double y = scale.pixel(tick, bottom, top);
            svg.append(String.format(Locale.ROOT, "<g class=\"tick\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                    + "y2=\"%.1f\" stroke=\"#e3e3e3\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">"
                    + "%s</text></g>", left, right, y, y, left - 7, y + 4, percent ? percentLabel(scale, tick)
                    : scale.label(tick)));
        }
        double middle = (top + bottom) / 2;
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" transform=\"translate(13 %.1f) rotate(-90)\" "
                + "text-anchor=\"middle\" fill=\"#333\">%s</text></g>", middle, Html.escape(title)));
    }

    /** Vertical grid lines and labels of a numeric position axis, and its title below. */
    void xAxis(AxisScale scale, String title) {
        svg.append("<g class=\"axis-x\">");
        for (double tick : scale.ticks()) {
            double x = scale.pixel(tick, left, right);
            svg.append(String.format(Locale.ROOT, "<g class=\"tick\"><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                    + "y2=\"%.1f\" stroke=\"#e3e3e3\"/><line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#888\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#444\">%s</text></g>",
                    x, x, top, bottom, x, x, bottom, bottom + 4, x, bottom + 18, scale.label(tick)));
        }
        xTitle(title);
        svg.append("</g>");
    }

    void xTitle(String title) {
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                + "fill=\"#333\">%s</text>", (left + right) / 2, height - 6, Html.escape(title)));
    }

    private void legend(List<LegendEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        svg.append("<g class=\"legend\">");
        double y = top + 4;
        for (LegendEntry entry : entries) {
            svg.append("<g class=\"item\">");
            double middle = y + LEGEND_ROW / 2;
            String color = entry.color();
            switch (entry.swatch()) {
                case BOX -> svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" "
                        + "height=\"10\" fill=\"%s\"/>", legendX, middle - 5, color));
                case MARKER -> svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                        + "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>", legendX + 9,
                        legendX + 9, middle - 7, middle + 7, color));
                default -> svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                        + "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>", legendX, legendX + 18, middle, middle,
                        color, entry.swatch() == Swatch.DASHED ? " stroke-dasharray=\"5 3\"" : ""));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#222\">%s<title>%s</title>"
                    + "</text></g>", legendX + 24, middle + 4, Html.escape(shortened(entry.label())),
                    Html.escape(entry.label())));
            y += LEGEND_ROW;
        }
        svg.append("</g>");
    }

    String end() {
        return svg.append("</svg>").toString();
    }

    /** A conservative width of {@code text} at {@code size} px in a sans-serif font (digits are ~0.56 em). */
    static double textWidth(String text, double size) {
        return text.length() * size * 0.62;
    }

    static String shortened(String label) {
        return label.length() <= LEGEND_CHARS ? label : label.substring(0, LEGEND_CHARS - 1) + "…";
    }

    private static String percentLabel(AxisScale scale, double tick) {
        return new AxisScale(scale.min() * 100, scale.max() * 100, scale.step() * 100).label(tick * 100) + "%";
    }
}
