package io.streamlearn.deploy;

import static io.streamlearn.deploy.RepositoryFiles.list;
import static io.streamlearn.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * grafana/: the dashboards follow Grafana's dashboard JSON model (the fields Grafana needs to import them: uid, title,
 * schemaVersion, panels with an id, a type Grafana ships, a grid position inside the 24-column grid and queries
 * with refIds), and the provisioning files point at them.
 */
class GrafanaDashboardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Panel types of Grafana's core plugins that these dashboards use. */
    private static final Set<String> PANEL_TYPES = Set.of("row", "timeseries", "stat", "gauge", "table", "heatmap",
            "bargauge", "text");

    static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(RepositoryFiles.grafana("dashboards"))) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void theOverviewServingDriftAndRetrainingDashboardsExist() throws IOException {
        assertThat(dashboards()).extracting(file -> file.getFileName().toString())
                .containsExactly("drift.json", "overview.json", "retraining.json", "serving.json");
    }

    @Test
    void everyDashboardFollowsGrafanasDashboardModel() throws IOException {
        Set<String> uids = new HashSet<>();
        for (Path file : dashboards()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            String name = file.getFileName().toString();
            assertThat(dashboard.path("schemaVersion").asInt()).as(name + " schemaVersion").isGreaterThanOrEqualTo(39);
            assertThat(uids.add(dashboard.path("uid").asText())).as(name + " uid is unique").isTrue();
            assertThat(dashboard.path("uid").asText()).as(name + " uid").matches("[a-zA-Z0-9_-]{1,40}");
            assertThat(dashboard.path("title").asText()).as(name + " title").isNotBlank();
            assertThat(dashboard.has("id")).as(name + ": no database id in a provisioned dashboard").isFalse();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : PromqlQueries.panels(dashboard)) {
                String title = name + " panel '" + panel.path("title").asText() + "'";
                assertThat(ids.add(panel.path("id").asInt())).as(title + " id is unique").isTrue();
                assertThat(panel.path("type").asText()).as(title + " type").isIn(PANEL_TYPES);
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("w").asInt()).as(title + " width").isBetween(1, 24);
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(title + " fits the grid").isLessThanOrEqualTo(24);
                assertThat(grid.path("h").asInt()).as(title + " height").isPositive();
                assertThat(grid.has("y")).as(title + " y").isTrue();
                if (!panel.path("type").asText().equals("row")) {
                    assertPanelQueries(title, panel);
                }
            }
        }
    }

    private static void assertPanelQueries(String title, JsonNode panel) {
        assertThat(panel.path("description").asText()).as(title + " says what it shows").isNotBlank();
        assertThat(panel.path("datasource").path("uid").asText()).as(title + " datasource").isEqualTo("${datasource}");
        assertThat(panel.path("targets").size()).as(title + " queries").isPositive();
        Set<String> refIds = new HashSet<>();
        for (JsonNode target : panel.path("targets")) {
            assertThat(refIds.add(target.path("refId").asText())).as(title + " refIds unique").isTrue();
            assertThat(target.path("expr").asText()).as(title + " expr").isNotBlank();
        }
    }

    @Test
    void everyDashboardHasDatasourceInstanceAndModelVariablesThatAllowAll() throws IOException {
        for (Path file : dashboards()) {
            JsonNode variables = JSON.readTree(file.toFile()).path("templating").path("list");
            List<String> names = new ArrayList<>();
            variables.forEach(variable -> names.add(variable.path("name").asText()));
            assertThat(names.subList(0, Math.min(3, names.size()))).as(file.getFileName().toString())
                    .containsExactly("datasource", "instance", "model");
            assertThat(variables.get(0).path("type").asText()).isEqualTo("datasource");
            assertThat(variables.get(0).path("query").asText()).isEqualTo("prometheus");
            for (int i = 1; i < variables.size(); i++) {
                JsonNode variable = variables.get(i);
                assertThat(variable.path("includeAll").asBoolean()).isTrue();
                assertThat(variable.path("multi").asBoolean()).isTrue();
                assertThat(variable.path("allValue").asText()).isEqualTo(".+");
                assertThat(variable.path("query").path("query").asText()).startsWith("label_values(");
            }
        }
    }

    @Test
    void everyPanelFiltersByTheSelectedModelOrInstance() throws IOException {
        for (Path file : dashboards()) {
            for (JsonNode panel : PromqlQueries.panels(JSON.readTree(file.toFile()))) {
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("expr").asText()).as(panel.path("title").asText())
                            .containsAnyOf("$model", "$instance");
                }
            }
        }
    }

    @Test
    void provisioningLoadsThePrometheusDatasourceAndTheDashboardFolderTheComposeFileMounts() throws IOException {
        Map<String, Object> datasources = RepositoryFiles.yaml(RepositoryFiles.grafana("provisioning/datasources/prometheus.yml"));
        assertThat(datasources.get("apiVersion")).isEqualTo(1);
        Map<String, Object> prometheus = map(list(datasources.get("datasources")).get(0));
        assertThat(prometheus).containsEntry("type", "prometheus").containsEntry("isDefault", true)
                .containsEntry("url", "http://prometheus:9090");

        Map<String, Object> providers = RepositoryFiles.yaml(RepositoryFiles.grafana("provisioning/dashboards/streamlearn.yml"));
        Map<String, Object> provider = map(list(providers.get("providers")).get(0));
        assertThat(provider).containsEntry("type", "file");
        String path = String.valueOf(map(provider.get("options")).get("path"));

        Map<String, Object> grafana = map(map(RepositoryFiles.yaml(RepositoryFiles.deploy("docker-compose.yml"))
                .get("services")).get("grafana"));
        assertThat(list(grafana.get("volumes"))).contains("../grafana/dashboards:" + path + ":ro",
                "../grafana/provisioning:/etc/grafana/provisioning:ro");
    }
}
