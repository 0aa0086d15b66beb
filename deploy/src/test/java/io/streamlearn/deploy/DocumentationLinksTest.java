package io.streamlearn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README stays a front page, and the documentation's relative links lead somewhere: every relative Markdown link
 * in README.md, docs/*.md and examples/README.md names an existing file, and a {@code #anchor} into a Markdown file
 * names one of its headings (GitHub's anchors: lower case, punctuation other than '-' and '_' dropped, spaces turned
 * into '-', a repeated heading suffixed -1, -2, ...).
 */
class DocumentationLinksTest {

    /** The README's budget: a front page, the manual lives in docs/. */
    static final int README_MAX_CHARACTERS = 12_500;

    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    @Test
    void theReadmeIsAFrontPage() throws IOException {
        String readme = Files.readString(RepositoryFiles.root().resolve("README.md"));
        assertThat(readme.length()).as("characters in README.md (move details to docs/)")
                .isLessThanOrEqualTo(README_MAX_CHARACTERS);
    }

    @Test
    void everyRelativeLinkOfTheDocumentationResolves() throws IOException {
        Path root = RepositoryFiles.root();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        pages.add(root.resolve("examples/README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).hasSizeGreaterThan(5);

        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        int checked = 0;
        for (Path page : pages) {
            for (String target : links(Files.readAllLines(page))) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto:
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = root.relativize(page) + " -> " + target;
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (anchor != null && resolved.toString().endsWith(".md")) {
                    Set<String> known = anchors.computeIfAbsent(resolved, DocumentationLinksTest::anchorsOf);
                    if (!known.contains(anchor)) {
                        broken.add(where + " (no such heading in " + root.relativize(resolved) + ")");
                    }
                }
            }
        }
        assertThat(checked).as("relative links checked").isGreaterThan(20);
        assertThat(broken).as("broken relative links").isEmpty();
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertThat(anchor("Why keyed by model name, not by id")).isEqualTo("why-keyed-by-model-name-not-by-id");
        assertThat(anchor("`drift-alerts`, `retrain-requests`")).isEqualTo("drift-alerts-retrain-requests");
        assertThat(anchor("Changing a model's schema or learner")).isEqualTo("changing-a-models-schema-or-learner");
        assertThat(anchor("`streamlearn_core` and `events.dlq`")).isEqualTo("streamlearn_core-and-eventsdlq");
    }

    /** Link targets outside fenced code blocks and code spans. */
    static List<String> links(List<String> lines) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives the headings of a Markdown file. */
    static Set<String> anchorsOf(Path markdown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(markdown);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (fenced || !heading.matches()) {
                continue;
            }
            String base = anchor(heading.group(1));
            int count = seen.merge(base, 1, Integer::sum);
            anchors.add(count == 1 ? base : base + "-" + (count - 1));
        }
        return anchors;
    }

    static String anchor(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1"); // a link in a heading keeps its text
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
