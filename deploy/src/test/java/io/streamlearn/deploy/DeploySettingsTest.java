package io.streamlearn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.config.KnownKeys;
import io.streamlearn.core.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The settings the shipped deployment passes (environment variables of docker-compose.yml, the Kubernetes manifests
 * and the Dockerfile) name keys some service reads: a variable naming no key is only warned about and left out
 * (docs/configuration.md), so a typo here would silently change nothing.
 */
class DeploySettingsTest {

    private static final Pattern VARIABLE = Pattern.compile("\\b(STREAMLEARN_[A-Z0-9_]*[A-Z0-9])\\b");

    @Test
    void everyStreamlearnVariableTheDeploymentSetsNamesAKnownKey() throws IOException {
        List<String> variables = new ArrayList<>();
        List<Path> files = new ArrayList<>(List.of(RepositoryFiles.deploy("docker-compose.yml"),
                RepositoryFiles.deploy("Dockerfile")));
        try (Stream<Path> manifests = Files.list(RepositoryFiles.deploy("k8s"))) {
            manifests.filter(file -> file.toString().endsWith(".yaml")).forEach(files::add);
        }
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                Matcher matcher = VARIABLE.matcher(line.strip().startsWith("#") ? "" : line);
                while (matcher.find()) {
                    variables.add(matcher.group(1));
                }
            }
        }

        assertThat(variables).contains("STREAMLEARN_SNAPSHOT_INTERVAL_MS", "STREAMLEARN_KAFKA_STATE_DIR");
        assertThat(variables).allSatisfy(variable -> assertThat(
                Settings.LAUNCHER_VARIABLES.contains(variable) || KnownKeys.isKnown(Settings.keyOf(variable)))
                .as(variable + ": " + KnownKeys.describeUnknown(Settings.keyOf(variable))).isTrue());
    }
}
