package io.streamlearn.retrain.http;

import io.streamlearn.core.text.Html;
import io.streamlearn.retrain.run.RetrainRequest;
import io.streamlearn.retrain.run.RunStatus;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.runtime.html.HtmlPage;
import io.streamlearn.runtime.html.LineChart;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /runs}: the runs as MLflow's run table shows them (one row each: start, duration, status, trigger, rows,
 * device, the challenger's and the champions' test figures, the gate, parameters), then, per run, its trials'
 * validation curves with axes and legend and its test scores side by side (as Evidently's reports put reference and
 * current side by side). One self-contained page: no script, no CDN. The demo's report embeds {@link #table}.
 */
public final class RunsPage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Runs whose curves are drawn; older ones keep their row. */
    private static final int DETAILED = 5;
    private static final String[] FIGURES = {"accuracy", "kappa", "mae", "rmse", "r2"};

    private RunsPage() {
    }

    public static String render(List<TrainingRun> runs) {
        StringBuilder html = HtmlPage.start("Retraining runs", "");
        if (runs.isEmpty()) {
            html.append("<p>No runs yet.</p>");
            return HtmlPage.end(html);
        }
        table(html, runs);
        runs.stream().filter(run -> run.status().isFinal()).limit(DETAILED).forEach(run -> details(html, run));
        return HtmlPage.end(html);
    }

    /** The run table, newest first as given, with a one-line count by status above it. */
    public static void table(StringBuilder html, List<TrainingRun> runs) {
        Map<RunStatus, Long> byStatus = new LinkedHashMap<>();
        runs.forEach(run -> byStatus.merge(run.status(), 1L, Long::sum));
        html.append("<p>").append(runs.size()).append(runs.size() == 1 ? " run" : " runs");
        byStatus.forEach((status, count) -> html.append(", ").append(count).append(' ').append(status.code()));
        html.append(".</p><table class=\"runs\"><tr><th>run</th><th>started</th><th>duration</th><th>status</th>"
                + "<th>trigger</th><th>rows</th><th>device</th><th>test scores</th><th>gate</th><th>parameters</th>"
                + "</tr>");
        for (TrainingRun run : runs) {
            html.append("<tr><td><code>").append(Html.escape(run.id())).append("</code></td><td>")
                    .append(TIME.format(Instant.ofEpochMilli(run.startedAt()))).append("</td><td class=\"num\">")
                    .append(run.finishedAt() == null ? "" : String.format(Locale.ROOT, "%.1f s",
                            (run.finishedAt() - run.startedAt()) / 1000.0))
                    .append("</td><td><span class=\"badge ").append(run.status().code()).append("\">")
                    .append(run.status().code()).append("</span>");
            if (run.promotedVersion() != null) {
                html.append(" as version ").append(run.promotedVersion());
            }
            if (run.reason() != null) {
                html.append("<br><span class=\"muted\">").append(Html.escape(run.reason())).append("</span>");
            }
            Map<String, Object> params = map(run.result().get("params"));
            html.append("</td><td>").append(Html.escape(trigger(run.trigger()))).append("</td><td class=\"num\">")
                    .append(run.rows() == null ? "" : String.format(Locale.ROOT, "%,d", run.rows()))
                    .append("</td><td>").append(run.device() == null ? "" : Html.escape(run.device()))
                    .append("</td><td>").append(scoreTable(map(run.result().get("testScores"))))
                    .append("</td><td>").append(gate(map(run.result().get("gate")))).append("</td><td>")
                    .append(params.isEmpty() ? "" : "<details><summary>" + params.size() + " parameters</summary>"
                            + keyValues(params) + "</details>").append("</td></tr>");
        }
        html.append("</table>");
    }

    /**
     * The requests a run answers, one phrase per reason: coalesced requests are counted, not repeated, and the
     * features their alerts named are listed once ({@code drift: 10 requests, 10 alerts on nswprice, vicprice}).
     */
    static String trigger(List<RetrainRequest> requests) {
        Map<String, List<RetrainRequest>> byReason = new LinkedHashMap<>();
        requests.forEach(request -> byReason.computeIfAbsent(request.reason(), r -> new ArrayList<>()).add(request));
        List<String> phrases = new ArrayList<>();
        byReason.forEach((reason, list) -> {
            StringBuilder phrase = new StringBuilder(reason);
            List<String> parts = new ArrayList<>();
            if (list.size() > 1) {
                parts.add(list.size() + " requests");
            }
            Set<String> features = new LinkedHashSet<>();
            int alerts = 0;
            for (RetrainRequest request : list) {
                alerts += request.alerts().size();
                request.alerts().forEach(alert -> features.add(String.valueOf(alert.get("feature"))));
            }
            if (alerts > 0) {
                parts.add(alerts + (alerts == 1 ? " alert" : " alerts") + " on " + String.join(", ", features));
            }
            phrases.add(parts.isEmpty() ? phrase.toString() : phrase.append(": ").append(String.join(", ", parts))
                    .toString());
        });
        return String.join("; ", phrases);
    }

    /** A run's trial curves and its test scores, challenger against each champion. */
    private static void details(StringBuilder html, TrainingRun run) {
        html.append("<h2>Run <code>").append(Html.escape(run.id())).append("</code></h2><div class=\"charts\">");
        html.append(curves(run));
        html.append("<div><h3>Test scores (rows held out from training)</h3>")
                .append(scoreTable(map(run.result().get("testScores"))));
        if (!run.phases().isEmpty()) {
            html.append("<h3>Phases</h3>").append(keyValues(new LinkedHashMap<>(run.phases()))
                    .replace("</td></tr>", " ms</td></tr>"));
        }
        html.append("<h3>Parameters of the best trial</h3>").append(keyValues(map(run.result().get("params"))))
                .append("</div>");
        html.append("</div>");
    }

    /**
     * Every trial's validation score by boosting round on one chart; the best trial drawn thick. A trial promoted to
     * a larger round budget (successive halving) is drawn again for each rung it ran.
     */
    private static String curves(TrainingRun run) {
        String metric = "validation score";
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (int i = 0; i < run.trials().size(); i++) {
            Map<String, Object> trial = run.trials().get(i);
            if (trial.get("metric") instanceof String name) {
                metric = "validation " + name;
            }
            if (trial.get("validationScore") instanceof Number score && score.doubleValue() < bestScore) {
                bestScore = score.doubleValue();
                best = i;
            }
        }
        LineChart chart = new LineChart("Trials: " + metric + " by round (lower is better)", "boosting round", metric)
                .wholeX().size(640, 300);
        for (int t = 0; t < run.trials().size(); t++) {
            Map<String, Object> trial = run.trials().get(t);
            if (!(trial.get("curve") instanceof List<?> points) || points.isEmpty()) {
                continue;
            }
            double[] xs = new double[points.size()];
            double[] ys = new double[points.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = i + 1;
                ys[i] = points.get(i) instanceof Number n ? n.doubleValue() : Double.NaN;
            }
            String name = "trial " + trial.getOrDefault("number", t + 1)
                    + (trial.get("rung") instanceof Number rung && rung.intValue() > 0 ? ", rung " + rung : "")
                    + (t == best ? " (best)" : "");
            if (t == best) {
                chart.line(name, xs, ys, "#111111", false, 3);
            } else {
                chart.line(name, xs, ys);
            }
        }
        return chart.isEmpty() ? "" : "<div>" + chart.svg() + "</div>";
    }

    /** One row per model scored on the test rows (challenger first, then the champions), one column per figure. */
    private static String scoreTable(Map<String, Object> scores) {
        List<String> present = new ArrayList<>();
        for (String figure : FIGURES) {
            if (scores.values().stream().anyMatch(s -> map(s).get(figure) instanceof Number)) {
                present.add(figure);
            }
        }
        if (present.isEmpty()) {
            return "";
        }
        StringBuilder table = new StringBuilder("<table class=\"scores\"><tr><th>model</th>");
        present.forEach(figure -> table.append("<th>").append(figure).append("</th>"));
        table.append("</tr>");
        scores.forEach((label, score) -> {
            table.append("<tr><td>").append(Html.escape(label)).append("</td>");
            present.forEach(figure -> table.append("<td class=\"num\">").append(number(map(score).get(figure)))
                    .append("</td>"));
            table.append("</tr>");
        });
        return table.append("</table>").toString();
    }

    private static String gate(Map<String, Object> gate) {
        if (gate.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(Boolean.TRUE.equals(gate.get("promote")) ? "passed" : "not passed");
        if (gate.get("test") != null) {
            text.append(": ").append(gate.get("test"));
        }
        if (gate.get("pValue") instanceof Number p) {
            text.append(String.format(Locale.ROOT, ", p = %.3g", p.doubleValue()));
        }
        if (gate.get("margin") instanceof Number margin) {
            text.append(String.format(Locale.ROOT, ", margin %.3g", margin.doubleValue()));
        }
        return Html.escape(text.toString());
    }

    /** A small two-column table, one row per entry: parameters as MLflow lists them. */
    private static String keyValues(Map<String, Object> values) {
        if (values.isEmpty()) {
            return "";
        }
        StringBuilder table = new StringBuilder("<table class=\"kv\">");
        values.forEach((key, value) -> table.append("<tr><th>").append(Html.escape(key)).append("</th><td>")
                .append(Html.escape(value instanceof Double d ? String.format(Locale.ROOT, "%.4g", d)
                        : String.valueOf(value))).append("</td></tr>"));
        return table.append("</table>").toString();
    }

    private static String number(Object value) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : "";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
