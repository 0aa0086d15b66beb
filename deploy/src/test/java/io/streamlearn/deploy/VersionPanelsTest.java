package io.streamlearn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The version panels while a replica serves a batch version (issue #17), evaluated by Prometheus' own engine
 * ({@code promtool test rules} with {@code promql_expr_test}) on the dashboards' queries as Grafana sends them with
 * "All" selected. A batch version is numbered by its promotion time in epoch milliseconds: "Versions behind" once
 * subtracted the lowest served version from the trainer's, which answered 0 here (the lowest is serve-2's online 40,
 * hiding serve-1 two versions behind) and about -1.8e12 once every replica served the batch version (both seen with
 * the old query).
 */
class VersionPanelsTest {

    private static final long PROMOTED_AT = 1_764_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void versionPanelsCompareOnlineVersionsWhileAReplicaServesABatchVersion() throws Exception {
        List<Map<String, Object>> series = new ArrayList<>();
        series.add(series("streamlearn_train_model_version", "train:8080", "streamlearn-train", "", 40));
        // serve-1 serves the batch version and has loaded online 38 behind it; serve-2 serves online 40.
        series.add(series("streamlearn_model_version", "serve-1:8080", "streamlearn-serve", "", PROMOTED_AT));
        series.add(series("streamlearn_model_online_version", "serve-1:8080", "streamlearn-serve", "", 38));
        series.add(series("streamlearn_model_origin", "serve-1:8080", "streamlearn-serve", "batch", 1));
        series.add(series("streamlearn_model_origin", "serve-1:8080", "streamlearn-serve", "online", 0));
        series.add(series("streamlearn_model_version", "serve-2:8080", "streamlearn-serve", "", 40));
        series.add(series("streamlearn_model_online_version", "serve-2:8080", "streamlearn-serve", "", 40));
        series.add(series("streamlearn_model_origin", "serve-2:8080", "streamlearn-serve", "batch", 0));
        series.add(series("streamlearn_model_origin", "serve-2:8080", "streamlearn-serve", "online", 1));

        List<Map<String, Object>> checks = List.of(
                check(expr("overview.json", "Versions behind", "A"), sample("{model=\"m\"}", 2)),
                check(expr("overview.json", "Model version: trained and loaded", "A"), sample("{model=\"m\"}", 40)),
                check(expr("overview.json", "Model version: trained and loaded", "B"), sample("{model=\"m\"}", 38)),
                check(expr("overview.json", "Model version: trained and loaded", "C"), sample("{model=\"m\"}", 1)),
                check(expr("serving.json", "Versions served", "A"),
                        sample("{instance=\"serve-1:8080\",job=\"streamlearn-serve\",model=\"m\",origin=\"batch\"}",
                                PROMOTED_AT),
                        sample("{instance=\"serve-2:8080\",job=\"streamlearn-serve\",model=\"m\",origin=\"online\"}",
                                40)));

        Map<String, Object> test = new LinkedHashMap<>();
        test.put("interval", "1m");
        test.put("input_series", series);
        test.put("promql_expr_test", checks);
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("rule_files", List.of());
        file.put("evaluation_interval", "1m");
        file.put("tests", List.of(test));
        Files.writeString(temp.resolve("version_panels_test.yml"), new Yaml().dump(file));

        assertThat(PrometheusTools.promtool(temp, "test", "rules", "version_panels_test.yml")).contains("SUCCESS");
    }

    private static String expr(String dashboard, String title, String refId) throws Exception {
        return PromqlQueries.panelTargets(RepositoryFiles.grafana("dashboards/" + dashboard), "1m").stream()
                .filter(target -> target.query().source().equals(dashboard + " panel '" + title + "' target " + refId))
                .map(target -> target.query().expr()).findFirst()
                .orElseThrow(() -> new AssertionError(dashboard + " has no panel '" + title + "' target " + refId));
    }

    private static Map<String, Object> series(String name, String instance, String job, String origin, long value) {
        String labels = "instance=\"" + instance + "\",job=\"" + job + "\",model=\"m\""
                + (origin.isEmpty() ? "" : ",origin=\"" + origin + "\"");
        return Map.of("series", name + "{" + labels + "}", "values", value + "x10");
    }

    @SafeVarargs
    private static Map<String, Object> check(String expr, Map<String, Object>... samples) {
        return Map.of("expr", expr, "eval_time", "5m", "exp_samples", List.of(samples));
    }

    private static Map<String, Object> sample(String labels, long value) {
        return Map.of("labels", labels, "value", value);
    }
}
