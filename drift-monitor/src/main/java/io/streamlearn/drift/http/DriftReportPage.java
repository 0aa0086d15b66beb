package io.streamlearn.drift.http;

import io.streamlearn.core.text.Html;
import io.streamlearn.drift.statistics.FeatureDrift;
import io.streamlearn.drift.statistics.Histogram;
import io.streamlearn.drift.statistics.Statistic;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.drift.window.WindowReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/drift/{model}/report.html}: per feature (and per prediction source) a bar chart of the reference
 * against the current window as inline SVG, the statistics table, and the last alerts. One self-contained page: no
 * script, no stylesheet or font from elsewhere, so it opens anywhere, offline too.
 */
final class DriftReportPage {

    private static final int BAR_HEIGHT = 120;
    private static final int BAR_WIDTH = 14;

    private DriftReportPage() {
    }

    static String render(String model, LatestReports reports) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Drift: ")
                .append(Html.escape(model)).append("</title><style>body{font-family:sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
                        + "font-size:13px;text-align:right}th{background:#f3f3f3}.drift{color:#b00;font-weight:bold}"
                        + ".feature{display:inline-block;vertical-align:top;margin:0 2em 2em 0}"
                        + ".ref{fill:#8aa8c8}.cur{fill:#e0894a}</style></head><body>");
        html.append("<h1>Drift of model ").append(Html.escape(model)).append("</h1>");
        html.append("<p>Bars: <svg width=\"10\" height=\"10\"><rect class=\"ref\" width=\"10\" height=\"10\"/></svg>"
                + " reference window, <svg width=\"10\" height=\"10\"><rect class=\"cur\" width=\"10\" height=\"10\"/>"
                + "</svg> current window (share of records per bin).</p>");
        reports.of(model).ifPresent(report -> section(html, "Features", report));
        reports.predictions(model).forEach((source, report) -> section(html, "Predictions (" + source + ")", report));
        reports.concept(model).ifPresent(concept -> {
            html.append("<h2>Concept</h2><p>").append(concept.outcomes()).append(" labelled predictions, ")
                    .append(concept.errors()).append(" missed");
            concept.estimations().forEach((detector, estimate) -> html.append("; ").append(Html.escape(detector))
                    .append(" estimates the error rate at ").append(number(estimate)));
            html.append(".</p>");
        });
        alerts(html, reports.alerts(model));
        return html.append("</body></html>").toString();
    }

    private static void section(StringBuilder html, String title, WindowReport report) {
        html.append("<h2>").append(Html.escape(title)).append("</h2><p>Reference: records ")
                .append(report.reference().fromPosition()).append("–").append(report.reference().toPosition())
                .append("; current: ").append(report.current().fromPosition()).append("–")
                .append(report.current().toPosition()).append("; drifting share ").append(number(report.driftShare()))
                .append(".</p>");
        for (FeatureDrift feature : report.features()) {
            html.append("<div class=\"feature\"><h3").append(feature.distributionDrifts() ? " class=\"drift\"" : "")
                    .append('>').append(Html.escape(feature.feature())).append(feature.distributionDrifts()
                            ? " — drifts (" + Html.escape(feature.severity()) + ")" : "").append("</h3>");
            Histogram histogram = report.histograms().get(feature.feature());
            if (histogram != null && !histogram.bins().isEmpty()) {
                svg(html, histogram);
            }
            html.append("<table><tr><th>statistic</th><th>value</th><th>threshold</th><th>p-value</th></tr>");
            for (Statistic statistic : feature.statistics()) {
                html.append("<tr><td>").append(Html.escape(statistic.name())).append("</td><td>")
                        .append(number(statistic.value())).append("</td><td>").append(number(statistic.threshold()))
                        .append("</td><td>").append(number(statistic.pValue())).append("</td></tr>");
            }
            html.append("</table></div>");
        }
    }

    /** Grouped bars, reference and current side by side per bin, scaled to the largest share. */
    private static void svg(StringBuilder html, Histogram histogram) {
        int bins = histogram.bins().size();
        double max = 1e-9;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, Math.max(histogram.reference()[i], histogram.current()[i]));
        }
        int width = bins * (2 * BAR_WIDTH + 6) + 10;
        html.append("<svg width=\"").append(width).append("\" height=\"")
                .append(BAR_HEIGHT + 10).append("\" role=\"img\">");
        for (int i = 0; i < bins; i++) {
            int x = 5 + i * (2 * BAR_WIDTH + 6);
            bar(html, "ref", x, histogram.reference()[i] / max, histogram.bins().get(i), histogram.reference()[i]);
            bar(html, "cur", x + BAR_WIDTH, histogram.current()[i] / max, histogram.bins().get(i),
                    histogram.current()[i]);
        }
        html.append("<line x1=\"0\" x2=\"").append(width).append("\" y1=\"").append(BAR_HEIGHT).append("\" y2=\"")
                .append(BAR_HEIGHT).append("\" stroke=\"#999\"/></svg>");
    }

    private static void bar(StringBuilder html, String style, int x, double scaled, String bin, double share) {
        int height = (int) Math.round(scaled * (BAR_HEIGHT - 5));
        html.append("<rect class=\"").append(style).append("\" x=\"").append(x).append("\" y=\"")
                .append(BAR_HEIGHT - height).append("\" width=\"").append(BAR_WIDTH - 1).append("\" height=\"")
                .append(height).append("\"><title>").append(Html.escape(bin)).append(": ")
                .append(String.format(Locale.ROOT, "%.1f%%", 100 * share)).append("</title></rect>");
    }

    private static void alerts(StringBuilder html, List<DriftAlert> alerts) {
        html.append("<h2>Alerts</h2>");
        if (alerts.isEmpty()) {
            html.append("<p>None.</p>");
            return;
        }
        html.append("<table><tr><th>kind</th><th>feature</th><th>statistic</th><th>value</th><th>severity</th>"
                + "<th>reference</th><th>current</th></tr>");
        List<DriftAlert> newestFirst = new ArrayList<>(alerts);
        Collections.reverse(newestFirst);
        for (DriftAlert alert : newestFirst) {
            html.append("<tr><td>").append(alert.kind().code()).append("</td><td>").append(Html.escape(alert.feature()))
                    .append("</td><td>").append(Html.escape(alert.statistic())).append("</td><td>")
                    .append(number(alert.value())).append("</td><td>").append(Html.escape(alert.severity()))
                    .append("</td><td>").append(alert.reference().fromPosition()).append("–")
                    .append(alert.reference().toPosition()).append("</td><td>").append(alert.current().fromPosition())
                    .append("–").append(alert.current().toPosition()).append("</td></tr>");
        }
        html.append("</table>");
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4g", value) : "–";
    }
}
