package io.streamlearn.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The checked files, found from wherever the tests run (the module or the repository root). */
final class RepositoryFiles {

    private RepositoryFiles() {
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("deploy")) && Files.isDirectory(dir.resolve("grafana"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no deploy/ and grafana/ above " + Path.of("").toAbsolutePath());
    }

    static Path deploy(String relative) {
        return root().resolve("deploy").resolve(relative);
    }

    static Path grafana(String relative) {
        return root().resolve("grafana").resolve(relative);
    }

    /** One YAML document as maps and lists; anchors, aliases and merge keys resolved (compose files use them). */
    static Map<String, Object> yaml(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> document = new Yaml(options).load(reader);
            if (document == null) {
                throw new IllegalStateException(file + " is empty");
            }
            return document;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static java.util.List<Object> list(Object value) {
        return (java.util.List<Object>) value;
    }
}
