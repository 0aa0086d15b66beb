package io.streamlearn.tools.demo;

import io.streamlearn.core.text.Html;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML page (inline SVG, no scripts or network) with the prequential learning curve and the summary
 * table, so it opens anywhere, offline.
 */
public final class HtmlReport {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 320;
    private static final int MARGIN = 48;

    private HtmlReport() {
    }

    public static String render(DemoSummary summary, List<LearningCurve.Point> curve) {
        boolean classification = summary.accuracy() != null;
        boolean anomaly = "anomaly".equals(summary.task());
        boolean cluster = "cluster".equals(summary.task());
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>streamlearn demo: ")
                .append(Html.escape(summary.model())).append("</title><style>body{font-family:sans-serif;margin:2em;}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}"
                        + "</style></head><body>");
        html.append("<h1>Prequential learning curve: ").append(Html.escape(summary.model())).append("</h1>");
        html.append("<p>Learner <code>").append(Html.escape(summary.learner())).append("</code> on ")
                .append(Html.escape(summary.data())).append(", each event predicted before it is learned.</p>");
        if (anomaly) {
            html.append(chart(curve, "ROC-AUC", List.of(
                    new Series("ROC-AUC, labelled window", "#1f77b4", LearningCurve.Point::rocAuc))));
        } else if (cluster) {
            html.append(chart(curve, "SSQ", List.of(
                    new Series("mean squared distance to centre, last 1000", "#1f77b4", LearningCurve.Point::ssq))));
        } else if (classification) {
            html.append(chart(curve, "accuracy", List.of(
                    new Series("cumulative accuracy", "#1f77b4", LearningCurve.Point::accuracy),
                    new Series("accuracy, last 1000", "#ff7f0e", LearningCurve.Point::windowAccuracy),
                    new Series("kappa", "#2ca02c", LearningCurve.Point::kappa))));
        } else {
            html.append(chart(curve, "RMSE", List.of(new Series("cumulative RMSE", "#1f77b4", LearningCurve.Point::rmse))));
        }
        html.append("<h2>Summary</h2><table>");
        row(html, "events", summary.events());
        row(html, "predictions", summary.predictions());
        row(html, "dead letters", summary.dlq());
        if (anomaly) {
            row(html, "ROC-AUC", format(summary.rocAuc()));
            row(html, "precision@k", format(summary.precisionAtK()));
            row(html, "alerts", summary.alerts());
        } else if (cluster) {
            row(html, "clusters", summary.clusters());
            row(html, "SSQ per event", format(summary.ssq()));
            row(html, "silhouette", format(summary.silhouette()));
        } else if (classification) {
            row(html, "correct", summary.correct());
            row(html, "accuracy", format(summary.accuracy()));
            row(html, "kappa", format(summary.kappa()));
        } else {
            row(html, "MAE", format(summary.mae()));
            row(html, "RMSE", format(summary.rmse()));
            row(html, "R²", format(summary.r2()));
        }
        row(html, "events/s", String.format(Locale.ROOT, "%,.0f", summary.eventsPerSecond()));
        row(html, "model version", summary.modelVersion());
        row(html, "processing guarantee", summary.processingGuarantee());
        html.append("</table>");
        if (summary.comparison() != null) {
            comparison(html, summary.comparison());
        }
        html.append("</body></html>\n");
        return html.toString();
    }

    private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};

    /** The interleaved comparison: one curve per learner on one chart, and a table of their final figures. */
    private static void comparison(StringBuilder html, List<DemoSummary.Compared> compared) {
        html.append("<h2>Interleaved comparison</h2><p>Every learner predicted, then learned, each event in the same "
                + "order, in-process (no Kafka).</p>");
        List<LearningCurve.Point> union = new java.util.ArrayList<>();
        List<Series> series = new java.util.ArrayList<>();
        for (int i = 0; i < compared.size(); i++) {
            DemoSummary.Compared learner = compared.get(i);
            java.util.Map<Long, Double> byInstances = new java.util.HashMap<>();
            learner.curve().forEach(point -> byInstances.put(point.instances(), point.value()));
            series.add(new Series(learner.learner(), COLORS[i % COLORS.length],
                    point -> byInstances.getOrDefault(point.instances(), Double.NaN)));
            if (i == 0) {
                learner.curve().forEach(point -> union.add(new LearningCurve.Point(point.instances(), Double.NaN,
                        Double.NaN, Double.NaN, Double.NaN)));
            }
        }
        html.append(chart(union, headlineName(compared.get(0).evaluation()), series));
        html.append("<table><tr><th>learner</th><th>accuracy / RMSE / ROC-AUC / SSQ</th><th>kappa / R²</th>"
                + "<th>fading (α)</th><th>seconds</th></tr>");
        for (DemoSummary.Compared learner : compared) {
            var evaluation = learner.evaluation();
            Double second = evaluation.kappa() != null ? evaluation.kappa() : evaluation.r2();
            Double fading = evaluation.fading() == null ? null
                    : evaluation.fading().accuracy() != null ? evaluation.fading().accuracy()
                    : evaluation.fading().rmse();
            html.append("<tr><td><code>").append(Html.escape(learner.learner())).append("</code></td><td>")
                    .append(format(io.streamlearn.core.eval.InterleavedComparison.headline(evaluation)))
                    .append("</td><td>").append(format(second)).append("</td><td>").append(format(fading))
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.2f", learner.seconds()))
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    private static String headlineName(io.streamlearn.core.eval.Evaluation evaluation) {
        if (evaluation.accuracy() != null) {
            return "accuracy";
        }
        if (evaluation.alerts() != null) {
            return "ROC-AUC";
        }
        return evaluation.ssq() != null ? "SSQ" : "RMSE";
    }

    private record Series(String name, String color, ToDoubleFunction<LearningCurve.Point> value) {
    }

    private static String chart(List<LearningCurve.Point> curve, String axis, List<Series> series) {
        double maxX = curve.isEmpty() ? 1 : Math.max(1, curve.get(curve.size() - 1).instances());
        double minY = 0;
        double maxY = 1;
        for (LearningCurve.Point point : curve) {
            for (Series s : series) {
                double y = s.value().applyAsDouble(point);
                if (Double.isFinite(y)) {
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "role=\"img\" aria-label=\"learning curve\">", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>", MARGIN, 10, WIDTH - MARGIN - 10, HEIGHT - MARGIN - 10));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">instances (%,.0f)</text>",
                WIDTH / 2 - 40, HEIGHT - 12, maxX));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"20\" font-size=\"12\">%s %.2f</text>"
                + "<text x=\"4\" y=\"%d\" font-size=\"12\">%.2f</text>", axis, maxY, HEIGHT - MARGIN, minY));
        int legendY = 28;
        for (Series s : series) {
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(s.color()).append("\" points=\"");
            for (LearningCurve.Point point : curve) {
                double y = s.value().applyAsDouble(point);
                if (Double.isFinite(y)) {
                    svg.append(String.format(Locale.ROOT, "%.1f,%.1f ",
                            MARGIN + (WIDTH - MARGIN - 10) * point.instances() / maxX,
                            10 + (HEIGHT - MARGIN - 10) * (1 - (y - minY) / (maxY - minY))));
                }
            }
            svg.append("\"/>");
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>",
                    MARGIN + 10, legendY, s.color(), Html.escape(s.name())));
            legendY += 16;
        }
        return svg.append("</svg>").toString();
    }

    private static void row(StringBuilder html, String name, Object value) {
        html.append("<tr><th>").append(Html.escape(name)).append("</th><td>").append(Html.escape(String.valueOf(value)))
                .append("</td></tr>");
    }

    private static String format(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }
}
