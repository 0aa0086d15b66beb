package io.streamlearn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The module graph read from the poms: no service module depends on another outside its tests, and docs/architecture.md
 * names every module of the parent pom and draws exactly the poms' dependencies between modules outside the test scope.
 */
class ModuleGraphTest {

    private static final String GROUP = "io.streamlearn";
    private static final Set<String> SERVICES = Set.of("stream-trainer", "serving", "drift-monitor", "retrainer");
    private static final Pattern NODE = Pattern.compile("^\\s*(\\w+)\\[\"([^\"]+)\"\\]\\s*$", Pattern.MULTILINE);
    private static final Pattern EDGE = Pattern.compile("^\\s*(\\w+)\\s*-->\\s*(\\w+)\\s*$", Pattern.MULTILINE);

    /** Module folder -> the folders of the modules it depends on outside the test scope. */
    private static Map<String, Set<String>> graph;
    /** Module folder -> the folders of the modules it depends on in any scope, tests included. */
    private static Map<String, Set<String>> anyScope;

    @BeforeAll
    static void readPoms() throws Exception {
        Path root = RepositoryFiles.root();
        List<String> modules = texts(pom(root.resolve("pom.xml")).getDocumentElement(), "modules", "module");
        Map<String, String> folderOfArtifact = new HashMap<>();
        Map<String, Element> poms = new LinkedHashMap<>();
        for (String module : modules) {
            Element project = pom(root.resolve(module).resolve("pom.xml")).getDocumentElement();
            folderOfArtifact.put(child(project, "artifactId"), module);
            poms.put(module, project);
        }
        graph = new LinkedHashMap<>();
        anyScope = new LinkedHashMap<>();
        poms.forEach((module, project) -> {
            Set<String> needs = new TreeSet<>();
            Set<String> needsInAnyScope = new TreeSet<>();
            Element dependencies = childElement(project, "dependencies");
            if (dependencies != null) {
                for (Element dependency : children(dependencies, "dependency")) {
                    if (GROUP.equals(child(dependency, "groupId"))) {
                        String artifact = child(dependency, "artifactId");
                        assertThat(folderOfArtifact).as(module + " depends on " + artifact).containsKey(artifact);
                        needsInAnyScope.add(folderOfArtifact.get(artifact));
                        if (!"test".equals(child(dependency, "scope"))) {
                            needs.add(folderOfArtifact.get(artifact));
                        }
                    }
                }
            }
            graph.put(module, needs);
            anyScope.put(module, needsInAnyScope);
        });
    }

    /** Not even in its tests: an end-to-end test across services lives in streamlearn-cli, which holds them all. */
    @Test
    void noServiceModuleDependsOnAnotherServiceModule() {
        assertThat(anyScope).containsKeys(SERVICES.toArray(String[]::new));
        for (String service : SERVICES) {
            assertThat(anyScope.get(service)).as("what %s needs, tests included", service)
                    .doesNotContainAnyElementsOf(SERVICES);
        }
    }

    @Test
    void coreAndRuntimeDependOnNoServiceAndNoBroker() {
        assertThat(graph.get("streamlearn-core")).isEmpty();
        assertThat(graph.get("streamlearn-runtime")).containsExactly("streamlearn-core");
    }

    @Test
    void architectureDocDrawsEveryModuleAndExactlyThePomsDependencies() throws Exception {
        String doc = Files.readString(RepositoryFiles.root().resolve("docs").resolve("architecture.md"));
        Map<String, String> moduleOfNode = new HashMap<>();
        Matcher nodes = NODE.matcher(doc);
        while (nodes.find()) {
            moduleOfNode.put(nodes.group(1), nodes.group(2));
        }
        assertThat(new TreeSet<>(moduleOfNode.values())).as("modules drawn").isEqualTo(new TreeSet<>(graph.keySet()));
        Set<String> drawn = new TreeSet<>();
        Matcher edges = EDGE.matcher(doc);
        while (edges.find()) {
            assertThat(moduleOfNode).as("node " + edges.group(1)).containsKey(edges.group(1));
            assertThat(moduleOfNode).as("node " + edges.group(2)).containsKey(edges.group(2));
            drawn.add(moduleOfNode.get(edges.group(1)) + " --> " + moduleOfNode.get(edges.group(2)));
        }
        Set<String> declared = new TreeSet<>();
        graph.forEach((module, needs) -> needs.forEach(need -> declared.add(module + " --> " + need)));
        assertThat(drawn).as("dependencies drawn in docs/architecture.md").isEqualTo(declared);
        for (String module : graph.keySet()) {
            assertThat(doc).as("a paragraph for " + module).contains("### `" + module + "`");
        }
    }

    private static Document pom(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<String> texts(Element parent, String list, String item) {
        Element items = childElement(parent, list);
        return items == null ? List.of() : children(items, item).stream().map(e -> e.getTextContent().strip()).toList();
    }

    /** The text of a direct child element, or {@code null}. */
    private static String child(Element parent, String name) {
        Element child = childElement(parent, name);
        return child == null ? null : child.getTextContent().strip();
    }

    private static Element childElement(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }
}
