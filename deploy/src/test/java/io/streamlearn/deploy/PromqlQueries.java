package io.streamlearn.deploy;

import static io.streamlearn.deploy.RepositoryFiles.list;
import static io.streamlearn.deploy.RepositoryFiles.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL that users see: every panel target and template-variable query of a Grafana dashboard, and every alert
 * expression of a rules file, as queries runnable against Prometheus' HTTP API.
 *
 * <p>Grafana variables become what Grafana sends when "All" is selected: the variable's {@code allValue}.
 * {@code $__rate_interval} becomes a fixed range (Grafana computes max(4 × scrape interval, step + scrape interval)).
 * {@code label_values(selector, label)} becomes {@code count by (label) (selector)}.
 *
 * <p>An alert is a condition (e.g. {@code ratio > 0.01}); returning data means its operands do, whether or not the
 * threshold is crossed right now. So an alert expression is split at its top-level set operators ({@code or},
 * {@code and}, {@code unless}) and comparisons ({@code == != < <= > >=}), vector matching modifiers are dropped, and
 * every operand that is not a number literal is one query.
 */
final class PromqlQueries {

    /** One query and where it comes from, for failure messages. */
    record Query(String source, String expr) {
    }

    /** A panel target's query and the panel it draws in (its field config says the range it draws). */
    record PanelTarget(Query query, JsonNode panel) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    /** A vector selector with label matchers; a matcher's value never holds a closing brace in these files. */
    private static final Pattern SELECTOR = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*\\{[^}]*}");
    private static final Pattern MODIFIER = Pattern.compile(
            "^(bool\\s*|(on|ignoring|group_left|group_right)\\s*(\\([^)]*\\))?\\s*)+");

    private PromqlQueries() {
    }

    /** The queries of a dashboard's template variables and of its panels' targets. */
    static List<Query> dashboard(Path file, String rateInterval) throws IOException {
        JsonNode dashboard = JSON.readTree(file.toFile());
        Map<String, String> values = allValues(dashboard, rateInterval);
        String name = file.getFileName().toString();
        List<Query> queries = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.add(new Query(name + " variable $" + variable.get("name").asText(),
                        labelValues(substitute(variable.path("query").path("query").asText(), values))));
            }
        }
        panelTargets(file, rateInterval).forEach(target -> queries.add(target.query()));
        return queries;
    }

    /** Every panel target of a dashboard, with the panel it belongs to. */
    static List<PanelTarget> panelTargets(Path file, String rateInterval) throws IOException {
        JsonNode dashboard = JSON.readTree(file.toFile());
        Map<String, String> values = allValues(dashboard, rateInterval);
        String name = file.getFileName().toString();
        List<PanelTarget> targets = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                targets.add(new PanelTarget(new Query(name + " panel '" + panel.path("title").asText() + "' target "
                        + target.path("refId").asText(), substitute(target.path("expr").asText(), values)), panel));
            }
        }
        return targets;
    }

    private static Map<String, String> allValues(JsonNode dashboard, String rateInterval) {
        Map<String, String> values = new HashMap<>();
        values.put("__rate_interval", rateInterval);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.has("allValue")) {
                values.put(variable.get("name").asText(), variable.get("allValue").asText());
            }
        }
        return values;
    }

    /** The vector selectors with label matchers of an expression ({@code name{label="value",...}}), in order. */
    static List<String> selectors(String expr) {
        List<String> selectors = new ArrayList<>();
        Matcher matcher = SELECTOR.matcher(expr);
        while (matcher.find()) {
            selectors.add(matcher.group());
        }
        return selectors;
    }

    /** Panels at the top level and inside collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    static List<Query> alerts(Path rulesFile) throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Object group : list(RepositoryFiles.yaml(rulesFile).get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                Map<String, Object> alert = map(rule);
                List<String> operands = conditionOperands(String.valueOf(alert.get("expr")));
                for (int i = 0; i < operands.size(); i++) {
                    queries.add(new Query("alert " + alert.get("alert") + " operand " + (i + 1), operands.get(i)));
                }
            }
        }
        return queries;
    }

    static String substitute(String expr, Map<String, String> values) {
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("unknown variable $" + name + " in " + expr);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(out).toString();
    }

    static String labelValues(String query) {
        Matcher matcher = LABEL_VALUES.matcher(query.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not label_values(selector, label): " + query);
        }
        return "count by (" + matcher.group(2) + ") (" + matcher.group(1) + ")";
    }

    /** The non-literal operands of a condition; an expression without a top-level condition is its own operand. */
    static List<String> conditionOperands(String expr) {
        for (List<String> operators : List.of(List.of("or"), List.of("and", "unless"),
                List.of("==", "!=", "<=", ">=", "<", ">"))) {
            List<String> parts = splitTopLevel(expr, operators);
            if (parts.size() > 1) {
                List<String> operands = new ArrayList<>();
                for (String part : parts) {
                    operands.addAll(conditionOperands(MODIFIER.matcher(part.trim()).replaceFirst("")));
                }
                return operands;
            }
        }
        String operand = expr.trim();
        return NUMBER.matcher(operand).matches() ? List.of() : List.of(operand);
    }

    /** Splits at the operators outside brackets and quotes; word operators only as whole words. */
    private static List<String> splitTopLevel(String expr, List<String> operators) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (depth == 0) {
                String operator = operatorAt(expr, i, operators);
                if (operator != null) {
                    parts.add(expr.substring(start, i));
                    i += operator.length() - 1;
                    start = i + 1;
                }
            }
        }
        parts.add(expr.substring(start));
        return parts;
    }

    private static String operatorAt(String expr, int i, List<String> operators) {
        for (String operator : operators) {
            if (!expr.startsWith(operator, i)) {
                continue;
            }
            boolean word = Character.isLetter(operator.charAt(0));
            if (word && !(boundary(expr, i - 1) && boundary(expr, i + operator.length()))) {
                continue;
            }
            return operator;
        }
        return null;
    }

    private static boolean boundary(String expr, int i) {
        return i < 0 || i >= expr.length() || !(Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_');
    }
}
