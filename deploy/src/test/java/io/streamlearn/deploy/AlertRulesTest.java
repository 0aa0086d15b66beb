package io.streamlearn.deploy;

import static io.streamlearn.deploy.RepositoryFiles.list;
import static io.streamlearn.deploy.RepositoryFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/prometheus: the configuration and the rules load in promtool, and every alert has unit tests and a runbook_url. */
class AlertRulesTest {

    private static final Path PROMETHEUS = RepositoryFiles.deploy("prometheus");

    @Test
    void prometheusConfigurationAndItsRuleFilesPassPromtoolCheckConfig() throws Exception {
        assertThat(PrometheusTools.promtool(PROMETHEUS, "check", "config", "prometheus.yml"))
                .contains("SUCCESS: 1 rule files found");
    }

    @Test
    void alertRulesPassPromtoolCheckRules() throws Exception {
        assertThat(PrometheusTools.promtool(PROMETHEUS, "check", "rules", "alerts.yml"))
                .contains("SUCCESS: " + alertNames().size() + " rules found");
    }

    @Test
    void everyAlertPassesItsPromtoolUnitTests() throws Exception {
        assertThat(PrometheusTools.promtool(PROMETHEUS, "test", "rules", "alerts_test.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTestWhereItFiresAndOneWhereItStaysQuiet() throws Exception {
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (Object test : list(RepositoryFiles.yaml(PROMETHEUS.resolve("alerts_test.yml")).get("tests"))) {
            for (Object check : list(map(test).get("alert_rule_test"))) {
                Map<String, Object> alertTest = map(check);
                String name = String.valueOf(alertTest.get("alertname"));
                (list(alertTest.get("exp_alerts")).isEmpty() ? quiet : fires).add(name);
            }
        }
        assertThat(fires).as("alerts with a firing case").containsExactlyInAnyOrderElementsOf(alertNames());
        assertThat(quiet).as("alerts with a quiet case").containsExactlyInAnyOrderElementsOf(alertNames());
    }

    /**
     * Prometheus' and Alertmanager's convention is a {@code runbook_url} annotation (Grafana shows it as the alert's
     * runbook link, Alertmanager templates link it). Every one names the alert's section of docs/operations.md,
     * relative to the repository root, or under one https base where an operator put the docs' address in front.
     */
    @Test
    void everyAlertHasASeveritySummaryAndARunbookUrlToItsSectionOfTheOperationsGuide() throws Exception {
        String guide = Files.readString(RepositoryFiles.root().resolve("docs/operations.md"));
        Set<String> anchors = DocumentationLinksTest.anchorsOf(RepositoryFiles.root().resolve("docs/operations.md"));
        Set<String> bases = new HashSet<>();
        for (Map<String, Object> rule : alertRules()) {
            String name = String.valueOf(rule.get("alert"));
            assertThat(map(rule.get("labels")).get("severity")).as(name).isIn("warning", "critical");
            Map<String, Object> annotations = map(rule.get("annotations"));
            assertThat(annotations).as(name).containsKey("summary").doesNotContainKey("runbook");
            String url = String.valueOf(annotations.get("runbook_url"));
            String path = "docs/operations.md#" + name.toLowerCase(Locale.ROOT);
            assertThat(url).as(name + " runbook_url").endsWith(path);
            String base = url.substring(0, url.length() - path.length());
            assertThat(base).as(name + " runbook_url base").matches("|https://[^\\s#?]+/");
            bases.add(base);
            assertThat(guide).as("docs/operations.md has a section for " + name).contains("\n### " + name + "\n");
            assertThat(anchors).as("headings of docs/operations.md").contains(name.toLowerCase(Locale.ROOT));
        }
        assertThat(bases).as("one base for every runbook_url").hasSize(1);
    }

    static List<Map<String, Object>> alertRules() throws Exception {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : list(RepositoryFiles.yaml(PROMETHEUS.resolve("alerts.yml")).get("groups"))) {
            list(map(group).get("rules")).forEach(rule -> rules.add(map(rule)));
        }
        return rules;
    }

    static List<String> alertNames() throws Exception {
        return alertRules().stream().map(rule -> String.valueOf(rule.get("alert"))).toList();
    }
}
