package io.streamlearn.tools.demo;

import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.eval.InterleavedComparison;
import io.streamlearn.core.text.Html;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.retrain.http.RunsPage;
import io.streamlearn.retrain.run.RunStatus;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.retrain.window.OffsetRange;
import io.streamlearn.runtime.html.BarChart;
import io.streamlearn.runtime.html.HtmlPage;
import io.streamlearn.runtime.html.LineChart;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The demo's {@code report.html}, the page a user shows a colleague: the prequential learning curves with the drift
 * alerts and the promoted retrained versions marked where they happened, the summary, per-class scores, the retraining
 * runs and, when several learners ran, their comparison. Self-contained (inline SVG from the shared charts, no script
 * or network), so it opens anywhere, offline. The drift page and the runs page are saved beside it.
 */
public final class HtmlReport {

    /** What the report shows besides the curve: the drift monitor's alerts and the retrainer's runs. */
    public record Context(List<DriftAlert> alerts, List<TrainingRun> runs) {

        public static final Context NONE = new Context(List.of(), List.of());
    }

    private record Series(String name, ToDoubleFunction<LearningCurve.Point> value) {
    }

    private HtmlReport() {
    }

    public static String render(DemoSummary summary, List<LearningCurve.Point> curve, Context context) {
        StringBuilder html = HtmlPage.start("streamlearn demo: " + summary.model(), "");
        html.append("<p>Learner <code>").append(Html.escape(summary.learner())).append("</code> on ")
                .append(Html.escape(summary.data())).append(": each event predicted before it is learned "
                        + "(prequential evaluation). Pages beside this one: <a href=\"drift.html\">drift report</a>, "
                        + "<a href=\"runs.html\">retraining runs</a>.</p>");
        html.append(curveChart(summary, curve, context).svg());
        html.append("<div class=\"charts\"><div><h2>Summary</h2><table>");
        summaryRows(html, summary);
        html.append("</table></div>");
        perClass(html, summary.evaluation());
        html.append("</div>");
        driftAlerts(html, context.alerts());
        html.append("<h2>Retraining runs</h2>");
        if (context.runs().isEmpty()) {
            html.append("<p>None.</p>");
        } else {
            RunsPage.table(html, context.runs());
        }
        if (summary.comparison() != null) {
            comparison(html, summary.comparison());
        }
        return HtmlPage.end(html);
    }

    private static LineChart curveChart(DemoSummary summary, List<LearningCurve.Point> curve, Context context) {
        List<Series> series;
        String axis;
        if ("anomaly".equals(summary.task())) {
            axis = "ROC-AUC";
            series = List.of(new Series("ROC-AUC, labelled window", LearningCurve.Point::rocAuc));
        } else if ("cluster".equals(summary.task())) {
            axis = "SSQ";
            series = List.of(new Series("mean squared distance to centre, last 1000", LearningCurve.Point::ssq));
        } else if (summary.accuracy() != null) {
            axis = "accuracy / kappa";
            series = List.of(new Series("accuracy, cumulative", LearningCurve.Point::accuracy),
                    new Series("accuracy, last 1000", LearningCurve.Point::windowAccuracy),
                    new Series("kappa, cumulative", LearningCurve.Point::kappa));
        } else {
            axis = "RMSE";
            series = List.of(new Series("RMSE, cumulative", LearningCurve.Point::rmse));
        }
        LineChart chart = new LineChart("Prequential learning curve", "events", axis).size(1100, 360);
        double[] xs = curve.stream().mapToDouble(LearningCurve.Point::instances).toArray();
        for (Series s : series) {
            chart.line(s.name(), xs, curve.stream().mapToDouble(s.value()).toArray());
        }
        // Feature alerts are placed at the model's event count, the others at its prediction count: in the demo every
        // event is predicted once, so both are positions on this curve.
        context.alerts().forEach(alert -> chart.marker(alert.current().toPosition(),
                alert.kind() == DriftKind.FEATURE ? alert.feature() : alert.kind().code(),
                LineChart.Marker.ALERT));
        // A finished run is placed at the end of the events it trained on: the demo replays into one partition without
        // transactions, so an offset there is an event count.
        context.runs().stream().filter(run -> run.status().isFinal() && run.dataVersion() != null).forEach(run -> {
            boolean promoted = run.status() == RunStatus.PROMOTED;
            chart.marker(run.dataVersion().events().stream().mapToLong(OffsetRange::toOffset).max().orElse(0),
                    promoted ? "retrained" : "not promoted",
                    promoted ? LineChart.Marker.PROMOTION : LineChart.Marker.NOT_PROMOTED);
        });
        return chart;
    }

    private static void summaryRows(StringBuilder html, DemoSummary summary) {
        row(html, "events", String.format(Locale.ROOT, "%,d", summary.events()));
        row(html, "predictions", String.format(Locale.ROOT, "%,d", summary.predictions()));
        row(html, "dead letters", String.format(Locale.ROOT, "%,d", summary.dlq()));
        if ("anomaly".equals(summary.task())) {
            row(html, "ROC-AUC", format(summary.rocAuc()));
            row(html, "precision@k", format(summary.precisionAtK()));
            row(html, "alerts", String.valueOf(summary.alerts()));
        } else if ("cluster".equals(summary.task())) {
            row(html, "clusters", String.valueOf(summary.clusters()));
            row(html, "SSQ per event", format(summary.ssq()));
            row(html, "silhouette", format(summary.silhouette()));
        } else if (summary.accuracy() != null) {
            row(html, "correct", String.format(Locale.ROOT, "%,d", summary.correct()));
            row(html, "accuracy", format(summary.accuracy()));
            row(html, "kappa", format(summary.kappa()));
        } else {
            row(html, "MAE", format(summary.mae()));
            row(html, "RMSE", format(summary.rmse()));
            row(html, "R²", format(summary.r2()));
        }
        row(html, "events/s", String.format(Locale.ROOT, "%,.0f", summary.eventsPerSecond()));
        if (summary.steadyEventsPerSecond() != null) {
            row(html, "events/s, second half", String.format(Locale.ROOT, "%,.0f", summary.steadyEventsPerSecond()));
        }
        row(html, "model version", String.valueOf(summary.modelVersion()));
        row(html, "processing guarantee", summary.processingGuarantee());
    }

    /** Precision, recall and F1 of each class as the trainer measured them: a table and the F1 chart. */
    private static void perClass(StringBuilder html, Evaluation evaluation) {
        if (evaluation == null || evaluation.perClass() == null || evaluation.perClass().isEmpty()) {
            return;
        }
        List<Evaluation.ClassScores> classes = evaluation.perClass();
        html.append("<div><h2>Per class</h2><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th>"
                + "</tr>");
        for (Evaluation.ClassScores scores : classes) {
            html.append("<tr><td>").append(Html.escape(scores.label())).append("</td><td class=\"num\">")
                    .append(format(scores.precision())).append("</td><td class=\"num\">")
                    .append(format(scores.recall()))
                    .append("</td><td class=\"num\">").append(format(scores.f1())).append("</td></tr>");
        }
        html.append("</table>");
        html.append(new BarChart("Per-class scores", "class", "score",
                classes.stream().map(Evaluation.ClassScores::label).toList()).plain().size(520, 230)
                .bars("precision", classes.stream().mapToDouble(Evaluation.ClassScores::precision).toArray())
                .bars("recall", classes.stream().mapToDouble(Evaluation.ClassScores::recall).toArray())
                .bars("F1", classes.stream().mapToDouble(Evaluation.ClassScores::f1).toArray()).svg());
        html.append("</div>");
    }

    private static void driftAlerts(StringBuilder html, List<DriftAlert> alerts) {
        html.append("<h2>Drift alerts</h2>");
        if (alerts.isEmpty()) {
            html.append("<p>None.</p>");
            return;
        }
        html.append("<p class=\"muted\">The last ").append(alerts.size())
                .append(", in stream order, marked on the curve above; "
                + "details in the <a href=\"drift.html\">drift report</a>.</p><table><tr><th>at event</th><th>kind</th>"
                + "<th>feature</th><th>statistic</th><th>value</th><th>severity</th></tr>");
        List<DriftAlert> byPosition = alerts.stream()
                .sorted(Comparator.comparingLong(alert -> alert.current().toPosition())).toList();
        for (DriftAlert alert : byPosition) {
            html.append("<tr><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%,d", alert.current().toPosition()))
                    .append("</td><td>").append(alert.kind().code()).append("</td><td>")
                    .append(Html.escape(alert.feature())).append("</td><td>").append(Html.escape(alert.statistic()))
                    .append("</td><td class=\"num\">").append(Double.isInfinite(alert.value()) ? "∞"
                            : format(alert.value())).append("</td><td>").append(Html.escape(alert.severity()))
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    /** The interleaved comparison: one curve per learner on one chart, and a table of their final figures. */
    private static void comparison(StringBuilder html, List<DemoSummary.Compared> compared) {
        html.append("<h2>Interleaved comparison</h2><p>Every learner predicted, then learned, each event in the same "
                + "order, in-process (no Kafka).</p>");
        LineChart chart = new LineChart("Learners compared", "events", headlineName(compared.get(0).evaluation()))
                .size(1100, 320);
        for (DemoSummary.Compared learner : compared) {
            List<InterleavedComparison.CurvePoint> points = learner.curve();
            chart.line(learner.learner(), points.stream().mapToDouble(InterleavedComparison.CurvePoint::instances)
                    .toArray(), points.stream().mapToDouble(InterleavedComparison.CurvePoint::value).toArray());
        }
        html.append(chart.svg());
        html.append("<table><tr><th>learner</th><th>accuracy / RMSE / ROC-AUC / SSQ</th><th>kappa / R²</th>"
                + "<th>fading (α)</th><th>seconds</th></tr>");
        for (DemoSummary.Compared learner : compared) {
            Evaluation evaluation = learner.evaluation();
            Double second = evaluation.kappa() != null ? evaluation.kappa() : evaluation.r2();
            Double fading = evaluation.fading() == null ? null
                    : evaluation.fading().accuracy() != null ? evaluation.fading().accuracy()
                    : evaluation.fading().rmse();
            html.append("<tr><td><code>").append(Html.escape(learner.learner()))
                    .append("</code></td><td class=\"num\">")
                    .append(format(InterleavedComparison.headline(evaluation))).append("</td><td class=\"num\">")
                    .append(format(second)).append("</td><td class=\"num\">").append(format(fading))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.2f", learner.seconds()))
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    private static String headlineName(Evaluation evaluation) {
        if (evaluation.accuracy() != null) {
            return "accuracy";
        }
        if (evaluation.alerts() != null) {
            return "ROC-AUC";
        }
        return evaluation.ssq() != null ? "SSQ" : "RMSE";
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(Html.escape(name)).append("</th><td class=\"num\">").append(Html.escape(value))
                .append("</td></tr>");
    }

    private static String format(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }
}
