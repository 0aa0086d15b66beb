package io.streamlearn.retrain.http;

import io.streamlearn.core.text.Html;
import io.streamlearn.retrain.run.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /runs}: the runs side by side (status, rows, device, test metrics of challenger and champions,
 * parameters, phases) and each run's learning curves as inline SVG. One self-contained page: no script, no CDN.
 */
final class RunsPage {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 120;

    private RunsPage() {
    }

    static String render(List<TrainingRun> runs) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>streamlearn runs</title>")
                .append("<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:13px}")
                .append(".promoted{background:#e6f4e6}.rejected{background:#fdf3e1}.failed{background:#fbe4e4}")
                .append("pre{margin:0;font-size:11px}</style></head><body><h1>Retraining runs</h1>");
        if (runs.isEmpty()) {
            html.append("<p>No runs yet.</p>");
        } else {
            html.append("<table><tr><th>run</th><th>status</th><th>trigger</th><th>rows</th><th>device</th>")
                    .append("<th>test metrics</th><th>parameters</th><th>phases (ms)</th><th>learning curves</th></tr>");
            runs.forEach(run -> row(html, run));
            html.append("</table>");
        }
        return html.append("</body></html>").toString();
    }

    private static void row(StringBuilder html, TrainingRun run) {
        html.append("<tr class=\"").append(run.status().code()).append("\"><td>").append(Html.escape(run.id()))
                .append("</td><td><b>").append(run.status().code()).append("</b>");
        if (run.reason() != null) {
            html.append("<br>").append(Html.escape(run.reason()));
        }
        if (run.promotedVersion() != null) {
            html.append("<br>version ").append(run.promotedVersion());
        }
        html.append("</td><td>").append(Html.escape(String.join(", ", run.trigger().stream()
                        .map(r -> r.reason() + (r.alerts().isEmpty() ? "" : " (" + r.alerts().size() + " alerts)"))
                        .toList())))
                .append("</td><td>").append(run.rows() == null ? "" : run.rows())
                .append("</td><td>").append(run.device() == null ? "" : Html.escape(run.device()))
                .append("</td><td>").append(scores(run.result().get("testScores")))
                .append("</td><td>").append(pre(run.result().get("params")))
                .append("</td><td>").append(pre(run.phases()))
                .append("</td><td>").append(curves(run.trials())).append("</td></tr>");
    }

    /** Every trial's validation curve in one chart, scaled together; the best trial darker. */
    private static String curves(List<Map<String, Object>> trials) {
        List<List<Double>> curves = new ArrayList<>();
        for (Map<String, Object> trial : trials) {
            if (trial.get("curve") instanceof List<?> points && points.size() > 1) {
                curves.add(points.stream().map(p -> ((Number) p).doubleValue()).toList());
            }
        }
        if (curves.isEmpty()) {
            return "";
        }
        double min = curves.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).min().orElse(0);
        double max = curves.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).max().orElse(1);
        int longest = curves.stream().mapToInt(List::size).max().orElse(2);
        double span = max - min == 0 ? 1 : max - min;
        StringBuilder svg = new StringBuilder().append(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>validation score by round, "
                        + "%d trials (%.4g to %.4g)</title>", WIDTH, HEIGHT, WIDTH, HEIGHT, curves.size(), min, max));
        double best = curves.stream().mapToDouble(c -> c.stream().mapToDouble(Double::doubleValue).min().orElse(max))
                .min().orElse(max);
        for (List<Double> curve : curves) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < curve.size(); i++) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", i * (WIDTH - 4.0) / (longest - 1) + 2,
                        HEIGHT - 2 - (curve.get(i) - min) / span * (HEIGHT - 4)));
            }
            boolean isBest = curve.stream().mapToDouble(Double::doubleValue).min().orElse(max) == best;
            svg.append("<polyline fill=\"none\" stroke=\"").append(isBest ? "#1f5fa8" : "#9bb7d9")
                    .append("\" stroke-width=\"").append(isBest ? 2 : 1).append("\" points=\"")
                    .append(points.toString().strip()).append("\"/>");
        }
        return svg.append("</svg>").toString();
    }

    /** Each model's headline test figures (accuracy and kappa, or MAE and RMSE), one line each. */
    private static String scores(Object testScores) {
        if (!(testScores instanceof Map<?, ?> byModel) || byModel.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        byModel.forEach((label, score) -> {
            text.append(label).append(':');
            if (score instanceof Map<?, ?> figures) {
                for (String name : new String[] {"accuracy", "kappa", "mae", "rmse"}) {
                    if (figures.get(name) instanceof Number number) {
                        text.append(String.format(Locale.ROOT, " %s %.4f", name, number.doubleValue()));
                    }
                }
            }
            text.append('\n');
        });
        return "<pre>" + Html.escape(text.toString().strip()) + "</pre>";
    }

    private static String pre(Object value) {
        if (value == null || (value instanceof Map<?, ?> map && map.isEmpty())) {
            return "";
        }
        return "<pre>" + Html.escape(String.valueOf(value).replace(", ", ",\n")) + "</pre>";
    }
}
