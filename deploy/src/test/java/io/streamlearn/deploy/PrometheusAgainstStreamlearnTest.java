package io.streamlearn.deploy;

import static io.streamlearn.deploy.RepositoryFiles.list;
import static io.streamlearn.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.BundledDatasets;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.runtime.metrics.Telemetry;
import io.streamlearn.tools.demo.DemoRun;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The proof that dashboards and alerts are honest: a real Prometheus, configured from deploy/prometheus, scrapes two
 * running streamlearn demos (a classifier on Electricity, a regressor on Bike Sharing, each with its embedded
 * broker, trainer and prediction server), and every query of every dashboard panel and template variable and every
 * operand of every alert condition returns data through Prometheus' HTTP API. A metric renamed in the product, or
 * a misspelled one in a dashboard, fails here. Data is not enough: no panel may read probe traffic, put a quantile
 * in its histogram's lowest or +Inf bucket, or draw a value outside the range it declares ({@link MisleadingPanels}).
 */
class PrometheusAgainstStreamlearnTest {

    /** What Grafana's $__rate_interval is replaced with: several of the test's 1 s scrapes. */
    private static final String RATE_INTERVAL = "1m";
    /** A range over the whole run, for quantiles of steps that only happen while a demo replays. */
    private static final String WHOLE_RUN = "1h";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @Test
    void everyDashboardAndAlertQueryReturnsDataFromAScrapedStreamlearn() throws Exception {
        Path prometheusBinary = PrometheusTools.binary("prometheus");
        Dataset electricity = withDrift(Dataset.read(BundledDatasets.electricityArff(), "electricity", null).limit(3000));
        Dataset bikes = Dataset.read(BundledDatasets.file("bike_sharing_hour.csv.gz"), "bikes", "cnt").limit(2000)
                .drop(List.of("instant", "casual", "registered"));
        try (Telemetry classifierTelemetry = Telemetry.create(); Telemetry regressorTelemetry = Telemetry.create();
                DemoRun classifier = demo(electricity, "trees.HoeffdingTree", classifierTelemetry, SMALL_DRIFT_WINDOWS,
                        CLASSIFIER_RATE);
                DemoRun regressor = demo(bikes, "trees.FIMTDD", regressorTelemetry, Map.of(), 0)) {
            List<String> targets = List.of("localhost:" + classifier.httpPort(), "localhost:" + regressor.httpPort());
            int port = freePort();
            Process prometheus = startPrometheus(prometheusBinary, targets, port);
            try {
                String api = "http://localhost:" + port;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> status(api + "/-/ready") == 200);
                classifier.replayAndAwait();
                regressor.replayAndAwait();
                classifier.retrainAndAwait();
                makeTraffic(classifier, electricity);
                makeTraffic(regressor, bikes);
                sendDeadLetters(classifier.bootstrapServers());

                List<PromqlQueries.Query> queries = new ArrayList<>();
                for (Path dashboard : GrafanaDashboardsTest.dashboards()) {
                    queries.addAll(PromqlQueries.dashboard(dashboard, RATE_INTERVAL));
                }
                queries.addAll(PromqlQueries.alerts(RepositoryFiles.deploy("prometheus/alerts.yml")));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(withoutData(api, queries))
                                .as("queries (of %d) that return no data", queries.size()).isEmpty());
                assertNoPanelMisleads(api, () -> {
                    makeTraffic(classifier, electricity);
                    makeTraffic(regressor, bikes);
                });
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(ruleHealth(api)).as("alert rules as Prometheus evaluates them")
                                .containsOnlyKeys(AlertRulesTest.alertNames()).allSatisfy((name, health) ->
                                        assertThat(health).as(name).isEqualTo("ok")));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(firing(api)).as("firing alerts; drift alert counters: %s",
                                        get(api + "/api/v1/query?query=streamlearn_drift_alerts_total"))
                                .contains("StreamlearnDriftConfirmed/electricity"));
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /**
     * Once Prometheus holds the probe traffic (the health probes {@link #makeTraffic} sends and its own scrapes), no
     * panel reads it, no quantile sits in an end bucket of its histogram, no value leaves its panel's range.
     * {@code traffic} runs before each look: a rate needs its counters to grow between two scrapes, and requests that
     * all fell between the same two scrapes leave every latency quantile without a value.
     */
    private static void assertNoPanelMisleads(String api, ThrowingRunnable traffic) throws Exception {
        List<PromqlQueries.PanelTarget> targets = new ArrayList<>();
        List<PromqlQueries.PanelTarget> wholeRun = new ArrayList<>();
        for (Path dashboard : GrafanaDashboardsTest.dashboards()) {
            targets.addAll(PromqlQueries.panelTargets(dashboard, RATE_INTERVAL));
            wholeRun.addAll(PromqlQueries.panelTargets(dashboard, WHOLE_RUN));
        }
        MisleadingPanels panels = new MisleadingPanels(api);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            traffic.run();
            List<String> probed = new ArrayList<>();
            panels.query("count by (route) (streamlearn_serve_latency_seconds_count{route=~\""
                    + MisleadingPanels.PROBE_ROUTE.pattern() + "\"})")
                    .forEach(series -> probed.add(series.path("metric").path("route").asText()));
            assertThat(probed).as("probe routes Prometheus holds").contains("/metrics", "/health/live",
                    "/health/ready", "/v2/health/live", "/v2/health/ready");
            List<String> misleading = new ArrayList<>(panels.readingProbeTraffic(targets));
            misleading.addAll(panels.unresolvedQuantiles(wholeRun));
            misleading.addAll(panels.outsideTheirPanelsRange(targets));
            assertThat(misleading).as("panels that return data but mislead").isEmpty();
        });
    }

    /** Windows small enough for a 3,000-event replay to hold a reference, a drift and its confirmation. */
    private static final Map<String, String> SMALL_DRIFT_WINDOWS = Map.of("drift.reference.size", "600",
            "drift.window.size", "300", "drift.window.step", "100", "drift.confirm.windows", "2");

    /**
     * Events per second of the drifting replay: slow enough that Prometheus scrapes the drift alert counter at zero
     * before the drift (at row 1,500, ~5 s in), since an increase needs a sample from before it.
     */
    private static final double CLASSIFIER_RATE = 300;

    private DemoRun demo(Dataset dataset, String learner, Telemetry telemetry, Map<String, String> settings,
            double rate) throws IOException {
        DemoRun.Options options = new DemoRun.Options(dataset, dataset.schema().model(), learner, rate, 0, 0, 0,
                temp.resolve(dataset.schema().model()), "exactly_once_v2", 500);
        return DemoRun.start(options, new PrintStream(OutputStream.nullOutputStream()), telemetry.registry(), settings);
    }

    /**
     * The data drifts halfway: from row 1,500 on, New South Wales prices triple and Victoria's demand rises by 0.3 (of
     * its normalised [0, 1] range), a covariate shift the drift monitor must confirm and the drift alert report.
     */
    private static Dataset withDrift(Dataset dataset) {
        List<LabeledRow> rows = new ArrayList<>();
        for (int i = 0; i < dataset.rows().size(); i++) {
            LabeledRow row = dataset.rows().get(i);
            if (i < dataset.rows().size() / 2) {
                rows.add(row);
                continue;
            }
            Map<String, Object> features = new LinkedHashMap<>(row.features());
            features.computeIfPresent("nswprice", (name, value) -> ((Number) value).doubleValue() * 3);
            features.computeIfPresent("vicdemand", (name, value) -> ((Number) value).doubleValue() + 0.3);
            rows.add(new LabeledRow(features, row.label()));
        }
        return new Dataset(dataset.schema(), rows);
    }

    /** {@code alertname/model} of every alert Prometheus reports as firing. */
    private static List<String> firing(String api) throws Exception {
        List<String> firing = new ArrayList<>();
        for (JsonNode alert : JSON.readTree(get(api + "/api/v1/alerts")).path("data").path("alerts")) {
            if (alert.path("state").asText().equals("firing")) {
                firing.add(alert.path("labels").path("alertname").asText() + "/"
                        + alert.path("labels").path("model").asText());
            }
        }
        return firing;
    }

    /**
     * deploy/prometheus/prometheus.yml with the streamlearn jobs pointed at the demos, 1 s scrapes and evaluations,
     * the real alerts.yml, and no other jobs.
     */
    private Process startPrometheus(Path binary, List<String> targets, int port) throws IOException {
        Map<String, Object> config = RepositoryFiles.yaml(RepositoryFiles.deploy("prometheus/prometheus.yml"));
        config.put("global", Map.of("scrape_interval", "1s", "evaluation_interval", "1s"));
        config.put("rule_files", List.of(RepositoryFiles.deploy("prometheus/alerts.yml").toString()));
        List<Object> jobs = new ArrayList<>();
        for (Object job : list(config.get("scrape_configs"))) {
            Map<String, Object> scrape = new LinkedHashMap<>(map(job));
            if (String.valueOf(scrape.get("job_name")).startsWith("streamlearn-")) {
                scrape.put("static_configs", List.of(Map.of("targets", targets)));
                jobs.add(scrape);
            }
        }
        assertThat(jobs).hasSize(4);
        config.put("scrape_configs", jobs);
        Path file = temp.resolve("prometheus.yml");
        Files.writeString(file, new Yaml().dump(config));
        return new ProcessBuilder(binary.toString(), "--config.file=" + file,
                "--storage.tsdb.path=" + Files.createDirectories(temp.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(temp.resolve("prometheus.log").toFile()).start();
    }

    /**
     * Successful predictions (so latency buckets exist), one unknown-model request (an error series), and the health
     * probes an orchestrator sends (which, like Prometheus' scrapes, no request or latency panel may count).
     */
    private static void makeTraffic(DemoRun demo, Dataset dataset) throws Exception {
        for (String probe : List.of("/health/live", "/health/ready", "/v2/health/live", "/v2/health/ready")) {
            status("http://localhost:" + demo.httpPort() + probe);
        }
        StringBuilder body = new StringBuilder("{\"features\":{");
        String separator = "";
        for (FeatureSpec feature : dataset.schema().features()) {
            body.append(separator).append('"').append(feature.name()).append("\":")
                    .append(feature.isNominal() ? "\"" + feature.values().get(0) + "\"" : "1");
            separator = ",";
        }
        body.append("}}");
        String base = "http://localhost:" + demo.httpPort() + "/v1/models/";
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = post(base + dataset.schema().model() + "/predict", body.toString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        assertThat(post(base + "no-such-model/predict", body.toString()).statusCode()).isEqualTo(404);
    }

    private static void sendDeadLetters(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("events", "electricity", "{not json".getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private static List<String> withoutData(String api, List<PromqlQueries.Query> queries) throws Exception {
        List<String> empty = new ArrayList<>();
        for (PromqlQueries.Query query : queries) {
            JsonNode answer = JSON.readTree(get(api + "/api/v1/query?query="
                    + URLEncoder.encode(query.expr(), StandardCharsets.UTF_8)));
            if (!answer.path("status").asText().equals("success")) {
                empty.add(query.source() + ": " + answer.path("error").asText() + " in " + query.expr());
            } else if (answer.path("data").path("result").isEmpty()) {
                empty.add(query.source() + ": " + query.expr());
            }
        }
        return empty;
    }

    private static Map<String, String> ruleHealth(String api) throws Exception {
        Map<String, String> health = new LinkedHashMap<>();
        for (JsonNode group : JSON.readTree(get(api + "/api/v1/rules")).path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                health.put(rule.path("name").asText(), rule.path("health").asText()
                        + (rule.path("lastError").asText().isEmpty() ? "" : ": " + rule.path("lastError").asText()));
            }
        }
        return health;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
