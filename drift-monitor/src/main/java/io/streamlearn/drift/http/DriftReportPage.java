package io.streamlearn.drift.http;

import io.streamlearn.core.text.Html;
import io.streamlearn.drift.statistics.FeatureDrift;
import io.streamlearn.drift.statistics.Histogram;
import io.streamlearn.drift.statistics.Statistic;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.drift.window.WindowReport;
import io.streamlearn.runtime.html.BarChart;
import io.streamlearn.runtime.html.HtmlPage;
import io.streamlearn.runtime.html.LineChart;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v1/drift/{model}/report.html}, and the demo's {@code drift.html}: an overview of every feature's verdict
 * (Evidently's data drift table: feature, statistic, value, threshold, test p-value, verdict), then per feature (and
 * per prediction source) the reference and current histograms with their bin edges, the history of its effect sizes
 * over the last windows with the thresholds and its alerts marked, and every statistic of the latest window; then the
 * concept-drift status and the last alerts. One self-contained page: no script, nothing fetched from elsewhere.
 */
public final class DriftReportPage {

    /** Statistics that are tests: only their rows show a p-value (PSI and the distances carry the gating test's). */
    private static final Set<String> TESTS = Set.of("ks", "chi_square");
    private static final Map<String, String> MEANING = Map.of(
            "psi", "population stability index",
            "ks", "Kolmogorov-Smirnov D (two-sample test)",
            "wasserstein", "Wasserstein-1 distance / reference std",
            "chi_square", "chi-square homogeneity test",
            "jensen_shannon", "Jensen-Shannon distance",
            "missing_rate", "share of missing values, current window",
            "missing_rate_change", "change of the missing share");

    private DriftReportPage() {
    }

    public static String render(String model, LatestReports reports) {
        StringBuilder html = HtmlPage.start("Drift of model " + model, "");
        List<DriftAlert> alerts = reports.alerts(model);
        reports.of(model).ifPresent(report -> {
            overview(html, report);
            section(html, "Features", report, reports.history(model), alerts);
        });
        reports.predictions(model).forEach((source, report) -> section(html, "Predictions (" + source + ")", report,
                List.of(), List.of()));
        reports.concept(model).ifPresent(concept -> {
            html.append("<h2>Concept</h2><p>").append(concept.outcomes()).append(" labelled predictions, ")
                    .append(concept.errors()).append(" missed");
            concept.estimations().forEach((detector, estimate) -> html.append("; ").append(Html.escape(detector))
                    .append(" estimates the error rate at ").append(number(estimate)));
            html.append(".</p>");
        });
        alertTable(html, alerts);
        return HtmlPage.end(html);
    }

    /** One row per feature: the statistic that decides, its threshold, the test that gates it, the verdict. */
    private static void overview(StringBuilder html, WindowReport report) {
        html.append("<p>Latest window: reference records ").append(range(report.reference().fromPosition(),
                report.reference().toPosition())).append(", current ").append(range(report.current().fromPosition(),
                report.current().toPosition())).append("; ").append(String.format(Locale.ROOT, "%.0f%%",
                100 * report.driftShare())).append(" of the tested features drift.</p>");
        html.append("<table class=\"overview\"><tr><th>feature</th><th>effect size</th><th>value</th><th>threshold</th>"
                + "<th>test</th><th>p-value</th><th>verdict</th></tr>");
        for (FeatureDrift feature : report.features()) {
            Optional<Statistic> effect = feature.evidence().or(() -> feature.statistics().stream()
                    .filter(s -> !TESTS.contains(s.name()) && Double.isFinite(s.threshold())
                            && !s.name().startsWith("missing")).findFirst());
            Optional<Statistic> test = feature.statistics().stream().filter(s -> TESTS.contains(s.name())).findFirst();
            html.append("<tr><td>").append(Html.escape(feature.feature())).append("</td><td>")
                    .append(effect.map(Statistic::name).orElse("(too few values)")).append("</td><td class=\"num\">")
                    .append(effect.map(s -> number(s.value())).orElse("")).append("</td><td class=\"num\">")
                    .append(effect.map(s -> number(s.threshold())).orElse("")).append("</td><td>")
                    .append(test.map(Statistic::name).orElse("")).append("</td><td class=\"num\">")
                    .append(test.map(s -> pValue(s.pValue())).orElse("")).append("</td><td")
                    .append(feature.distributionDrifts() ? " class=\"drift\">drifts (" + Html.escape(feature.severity())
                            + ")" : ">no drift").append(feature.missingRateDrifts() ? "; missing rate drifts" : "")
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    private static void section(StringBuilder html, String title, WindowReport report, List<WindowReport> history,
            List<DriftAlert> alerts) {
        html.append("<h2>").append(Html.escape(title)).append("</h2><p class=\"muted\">Reference: records ")
                .append(range(report.reference().fromPosition(), report.reference().toPosition()))
                .append("; current: ").append(range(report.current().fromPosition(), report.current().toPosition()))
                .append(".</p>");
        for (FeatureDrift feature : report.features()) {
            html.append("<div class=\"feature\"><h3").append(feature.distributionDrifts() ? " class=\"drift\"" : "")
                    .append('>').append(Html.escape(feature.feature())).append(feature.distributionDrifts()
                            ? " — drifts (" + Html.escape(feature.severity()) + ")" : "").append("</h3>")
                    .append("<div class=\"charts\">");
            Histogram histogram = report.histograms().get(feature.feature());
            if (histogram != null && !histogram.bins().isEmpty()) {
                html.append(histogram(feature.feature(), histogram));
            }
            LineChart trend = history(feature.feature(), history, alerts);
            if (!trend.isEmpty()) {
                html.append(trend.svg());
            }
            html.append("</div>");
            statistics(html, feature);
            html.append("</div>");
        }
    }

    private static String histogram(String feature, Histogram histogram) {
        return new BarChart(feature + ": share of records per bin", histogram.edges().isEmpty() ? "category"
                : "bin edges (outer bins open)", "share of records", histogram.bins())
                .size(520, 250).bars("reference", histogram.reference()).bars("current", histogram.current())
                .edges(histogram.edges()).svg();
    }

    /** The feature's effect sizes window after window, its thresholds, and its alerts where they were raised. */
    private static LineChart history(String feature, List<WindowReport> history, List<DriftAlert> alerts) {
        LineChart chart = new LineChart(feature + ": effect size by window", "current window's last record",
                "effect size").size(580, 250);
        List<String> names = new ArrayList<>();
        history.forEach(report -> report.features().stream().filter(f -> f.feature().equals(feature))
                .flatMap(f -> f.statistics().stream())
                .filter(s -> !TESTS.contains(s.name()) && Double.isFinite(s.threshold())
                        && !s.name().startsWith("missing"))
                .map(Statistic::name).filter(name -> !names.contains(name)).forEach(names::add));
        List<Double> thresholds = new ArrayList<>();
        for (String name : names) {
            double[] xs = new double[history.size()];
            double[] ys = new double[history.size()];
            double threshold = Double.NaN;
            for (int i = 0; i < xs.length; i++) {
                WindowReport report = history.get(i);
                xs[i] = report.current().toPosition();
                Optional<Statistic> statistic = statistic(report, feature, name);
                ys[i] = statistic.map(Statistic::value).orElse(Double.NaN);
                threshold = statistic.map(Statistic::threshold).orElse(threshold);
            }
            chart.line(name, xs, ys);
            if (Double.isFinite(threshold) && !thresholds.contains(threshold)) {
                thresholds.add(threshold);
                chart.rule("threshold " + number(threshold), threshold);
            }
        }
        alerts.stream().filter(a -> a.kind() == DriftKind.FEATURE && a.feature().equals(feature))
                .forEach(a -> chart.marker(a.current().toPosition(), a.statistic(), LineChart.Marker.ALERT));
        return chart;
    }

    private static Optional<Statistic> statistic(WindowReport report, String feature, String name) {
        return report.features().stream().filter(f -> f.feature().equals(feature)).flatMap(f -> f.statistics()
                .stream()).filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Every statistic of the latest window. A p-value only on the test rows; a test whose p-value was not computed
     * (no effect size reached its threshold, so it could not change the verdict) says so.
     */
    private static void statistics(StringBuilder html, FeatureDrift feature) {
        html.append("<table class=\"statistics\"><tr><th>statistic</th><th>what it is</th><th>value</th>"
                + "<th>threshold</th><th>p-value</th></tr>");
        for (Statistic statistic : feature.statistics()) {
            boolean test = TESTS.contains(statistic.name());
            html.append("<tr data-statistic=\"").append(Html.escape(statistic.name())).append("\"><td>")
                    .append(Html.escape(statistic.name())).append("</td><td>")
                    .append(Html.escape(MEANING.getOrDefault(statistic.name(), ""))).append("</td><td class=\"num\">")
                    .append(value(statistic.value())).append("</td><td class=\"num\">")
                    .append(Double.isFinite(statistic.threshold()) ? number(statistic.threshold()) : "")
                    .append("</td><td class=\"num\">").append(test ? pValue(statistic.pValue()) : "")
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    private static void alertTable(StringBuilder html, List<DriftAlert> alerts) {
        html.append("<h2>Alerts</h2>");
        if (alerts.isEmpty()) {
            html.append("<p>None.</p>");
            return;
        }
        html.append("<p class=\"muted\">The last ").append(alerts.size()).append(", newest first.</p><table><tr>"
                + "<th>kind</th><th>feature</th><th>statistic</th><th>value</th><th>severity</th><th>reference</th>"
                + "<th>current</th></tr>");
        List<DriftAlert> newestFirst = new ArrayList<>(alerts);
        Collections.reverse(newestFirst);
        for (DriftAlert alert : newestFirst) {
            html.append("<tr><td>").append(alert.kind().code()).append("</td><td>").append(Html.escape(alert.feature()))
                    .append("</td><td>").append(Html.escape(alert.statistic())).append("</td><td class=\"num\">")
                    .append(value(alert.value())).append("</td><td>").append(Html.escape(alert.severity()))
                    .append("</td><td>").append(range(alert.reference().fromPosition(), alert.reference().toPosition()))
                    .append("</td><td>").append(range(alert.current().fromPosition(), alert.current().toPosition()))
                    .append("</td></tr>");
        }
        html.append("</table>");
    }

    /** A value; infinite when a distance is normed by a reference that did not vary (a constant feature). */
    private static String value(double value) {
        if (Double.isInfinite(value)) {
            return "∞ <span class=\"muted\">(constant reference)</span>";
        }
        return Double.isFinite(value) ? number(value) : "<span class=\"muted\">n/a</span>";
    }

    private static String pValue(double p) {
        return Double.isFinite(p) ? number(p) : "<span class=\"muted\" title=\"no effect size reached its threshold, "
                + "so the test could not change the verdict\">not needed</span>";
    }

    private static String range(long from, long to) {
        return String.format(Locale.ROOT, "%,d–%,d", from, to);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
