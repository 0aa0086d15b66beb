package io.streamlearn.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Panels that return data yet mislead, found through Prometheus' HTTP API against real scraped series (issue #17):
 * <ul>
 * <li>a panel that reads series of probe traffic (health probes, {@code /metrics} scrapes): an orchestrator probing
 * every few seconds and Prometheus scraping would be counted as requests and their microsecond answers would pull the
 * latency quantiles down;</li>
 * <li>a histogram quantile that sits in the histogram's lowest bucket (a bucket layout that begins above the values,
 * as Micrometer's default 1 ms did for microsecond steps, so p99 read ~1 ms for ever) or in its {@code +Inf} bucket
 * (Prometheus then answers the highest finite bound, whatever the values);</li>
 * <li>a value outside the range its panel declares ({@code fieldConfig.defaults.min}/{@code max}), e.g. a negative
 * number of versions behind.</li>
 * </ul>
 */
final class MisleadingPanels {

    /** Routes of health probes and scrapes, as the serving dashboards and the error-rate alert leave them out. */
    static final Pattern PROBE_ROUTE = Pattern.compile("/metrics|/health/.+|/v2/health/.+");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String api;

    MisleadingPanels(String api) {
        this.api = api;
    }

    /** Each selector of each target, asked on its own: none may return a series whose route is a probe's. */
    List<String> readingProbeTraffic(List<PromqlQueries.PanelTarget> targets) throws Exception {
        List<String> found = new ArrayList<>();
        for (PromqlQueries.PanelTarget target : targets) {
            for (String selector : PromqlQueries.selectors(target.query().expr())) {
                for (JsonNode series : query(selector)) {
                    String route = series.path("metric").path("route").asText();
                    if (PROBE_ROUTE.matcher(route).matches()) {
                        found.add(target.query().source() + " reads " + selector + " including route " + route);
                        break;
                    }
                }
            }
        }
        return found;
    }

    /**
     * Every {@code histogram_quantile} target must have a value, and each must lie strictly between the lowest finite
     * bucket bound and the highest of the histogram it reads.
     */
    List<String> unresolvedQuantiles(List<PromqlQueries.PanelTarget> targets) throws Exception {
        List<String> found = new ArrayList<>();
        for (PromqlQueries.PanelTarget target : targets) {
            String expr = target.query().expr();
            if (!expr.startsWith("histogram_quantile(")) {
                continue;
            }
            String buckets = PromqlQueries.selectors(expr).stream().filter(s -> s.contains("_bucket{")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no _bucket selector in " + expr));
            double lowest = Double.POSITIVE_INFINITY;
            double highest = Double.NEGATIVE_INFINITY;
            for (JsonNode bound : query("count by (le) (" + buckets + ")")) {
                double le = parse(bound.path("metric").path("le").asText());
                if (Double.isFinite(le)) {
                    lowest = Math.min(lowest, le);
                    highest = Math.max(highest, le);
                }
            }
            if (highest == Double.NEGATIVE_INFINITY) {
                found.add(target.query().source() + ": no finite bucket bound in " + buckets);
                continue;
            }
            List<Double> values = finiteValues(query(expr));
            if (values.isEmpty()) {
                found.add(target.query().source() + ": no value to check");
            }
            for (double value : values) {
                if (value <= lowest) {
                    found.add(target.query().source() + ": " + value + " lies in the lowest bucket (le=" + lowest
                            + "), which cannot resolve it");
                } else if (value >= highest) {
                    found.add(target.query().source() + ": " + value + " lies above the highest finite bucket (le="
                            + highest + ")");
                }
            }
        }
        return found;
    }

    /** Values outside the {@code min}/{@code max} that a target's panel declares. */
    List<String> outsideTheirPanelsRange(List<PromqlQueries.PanelTarget> targets) throws Exception {
        List<String> found = new ArrayList<>();
        for (PromqlQueries.PanelTarget target : targets) {
            JsonNode defaults = target.panel().path("fieldConfig").path("defaults");
            if (!defaults.has("min") && !defaults.has("max")) {
                continue;
            }
            double min = defaults.has("min") ? defaults.get("min").asDouble() : Double.NEGATIVE_INFINITY;
            double max = defaults.has("max") ? defaults.get("max").asDouble() : Double.POSITIVE_INFINITY;
            for (double value : finiteValues(query(target.query().expr()))) {
                if (value < min || value > max) {
                    found.add(target.query().source() + ": " + value + " outside [" + min + ", " + max + "]");
                }
            }
        }
        return found;
    }

    /** The series of an instant query; a failed query fails. */
    JsonNode query(String expr) throws Exception {
        JsonNode answer = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body());
        if (!answer.path("status").asText().equals("success")) {
            throw new IllegalStateException(answer.path("error").asText() + " in " + expr);
        }
        return answer.path("data").path("result");
    }

    private static List<Double> finiteValues(JsonNode result) {
        List<Double> values = new ArrayList<>();
        for (JsonNode series : result) {
            double value = parse(series.path("value").path(1).asText());
            if (Double.isFinite(value)) {
                values.add(value);
            }
        }
        return values;
    }

    /** Prometheus' number strings, {@code +Inf}, {@code -Inf} and {@code NaN} included. */
    private static double parse(String number) {
        return switch (number) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(number);
        };
    }
}
