package io.streamlearn.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every key of {@link KnownKeys} (each service's config refuses any other), with its type,
 * default, readers, environment spelling and meaning. When they disagree, the table the registry stands for is
 * written to {@code target/configuration-table.md}, ready to paste.
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void theDocumentListsEveryKnownKeyAndNoOther() throws IOException {
        Map<String, String> documented = documentedRows();
        Map<String, String> expected = new LinkedHashMap<>();
        KnownKeys.ALL.forEach(key -> expected.put(key.name(), row(key)));
        if (!documented.equals(expected)) {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "configuration-table.md"),
                    String.join("\n", expected.values()) + "\n");
        }

        assertThat(documented.keySet()).as("keys in docs/configuration.md that no service reads")
                .isSubsetOf(expected.keySet());
        assertThat(expected.keySet()).as("keys services read that docs/configuration.md lacks")
                .isSubsetOf(documented.keySet());
        expected.forEach((key, row) -> assertThat(documented.get(key)).as("row of " + key).isEqualTo(row));
    }

    @Test
    void theDocumentListsEveryDeprecatedKeyWithItsReplacement() throws IOException {
        String doc = Files.readString(DOC);
        KnownKeys.DEPRECATED.forEach((old, current) ->
                assertThat(doc).contains("| `" + old + "` | `" + current + "` |"));
    }

    /** Rows of the key table: the first cell is the key in backquotes. */
    private static Map<String, String> documentedRows() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(DOC);
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("| key | type |")) {
                inTable = true;
            } else if (inTable && line.startsWith("| `")) {
                rows.put(line.substring(3, line.indexOf('`', 3)), line);
            } else if (inTable && !line.startsWith("|")) {
                inTable = false;
            }
        }
        return rows;
    }

    static String row(ConfigKey key) {
        String readers = EnumSet.copyOf(key.readBy()).stream().map(Service::command).collect(Collectors.joining(", "));
        String environment = key.name().endsWith("*") ? "`" + key.environmentName().replace("*", "") + "…`"
                : "`" + key.environmentName() + "`";
        String defaultValue = key.defaultValue().isEmpty() ? "none"
                : key.defaultValue().contains(" ") ? key.defaultValue() : "`" + key.defaultValue() + "`";
        return "| `" + key.name() + "` | " + key.type() + " | " + defaultValue + " | " + readers + " | " + environment
                + " | " + key.meaning() + " |";
    }
}
