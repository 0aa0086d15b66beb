package io.streamlearn.drift.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.http.ServiceHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The drift routes on the standalone service shell, as {@code bin/streamlearn monitor} serves them. */
class DriftRoutesServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient client = HttpClient.newHttpClient();
    /**
     * Held for the test's duration: Micrometer's gauges refer to their values weakly, so with only a local variable a
     * collection before the scrape turned every drift gauge into NaN (seen once in CI-like runs).
     */
    private final DriftMetrics metrics = new DriftMetrics();
    private ServiceHttpServer server;

    @BeforeEach
    void start() {
        LatestReports reports = new LatestReports();
        metrics.bindTo(registry);
        FeatureDriftMonitor monitor = new FeatureDriftMonitor("shop", DriftKind.FEATURE, MonitorSettings.DEFAULTS);
        Random random = new Random(7);
        for (int i = 1; i <= 6000; i++) {
            Map<String, Object> values = new HashMap<>();
            values.put("x", random.nextGaussian());
            values.put("color", random.nextBoolean() ? "red" : "<blue>");
            monitor.observe(new Observation(i, 0, i - 1, 1000L * i, values));
        }
        monitor.latest().ifPresent(report -> {
            reports.publish(report);
            metrics.window(report);
        });
        server = ServiceHttpServer.start("drift monitor", 0, (vertx, router) -> DriftRoutes.mount(router, reports),
                registry, Liveness.none(), () -> false);
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    @Test
    void answersTheLatestReportOfAModelAsJson() throws Exception {
        HttpResponse<String> response = get("/v1/drift/shop");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.get("model").asText()).isEqualTo("shop");
        assertThat(report.get("kind").asText()).isEqualTo("feature");
        assertThat(report.get("current").get("toPosition").asLong()).isEqualTo(6000);
        assertThat(report.get("features")).extracting(f -> f.get("feature").asText())
                .containsExactlyInAnyOrder("x", "color");
        assertThat(report.get("features").get(0).get("statistics").size()).isGreaterThan(2);
        JsonNode histogram = report.get("features").get(0).get("histogram");
        assertThat(histogram.get("bins").size()).isEqualTo(histogram.get("reference").size())
                .isEqualTo(histogram.get("current").size()).isPositive();
        assertThat(report.get("predictions").isObject()).isTrue();
        assertThat(report.get("concept").isNull()).isTrue();
        assertThat(report.get("alerts").isArray()).isTrue();
    }

    @Test
    void theHtmlReportDrawsReferenceAgainstCurrentAsInlineSvgWithEscapedNames() throws Exception {
        HttpResponse<String> page = get("/v1/drift/shop/report.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("class=\"chart\"", "x: share of records per bin", "bin edges",
                "<h3>x</h3>", "&lt;blue&gt;", "<th>statistic</th>", "<th>p-value</th>", "<h2>Alerts</h2>")
                .doesNotContain("<script", "<blue>", "http://", "https://");
        assertThat(get("/v1/drift/nobody/report.html").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownModelOrRouteIsAJsonNotFound() throws Exception {
        HttpResponse<String> unknown = get("/v1/drift/nobody");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("unknown_model");
        HttpResponse<String> route = get("/v2/nothing");
        assertThat(route.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(route.body()).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void healthFollowsTheMonitorAndMetricsAreScraped() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains(
                        "streamlearn_drift_statistic{feature=\"x\",kind=\"feature\",model=\"shop\",statistic=\"psi\"}")
                .contains("streamlearn_drift_window_size_records{kind=\"feature\",model=\"shop\",window=\"reference\"} 5000.0");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
