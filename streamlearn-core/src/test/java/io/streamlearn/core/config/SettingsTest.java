package io.streamlearn.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void environmentOverridesTheFileAndExplicitValuesOverrideBoth() throws Exception {
        Path file = dir.resolve("streamlearn.properties");
        Files.writeString(file, "snapshot.interval.ms=5000\nhttp.port=8081\nkafka.security.protocol=PLAINTEXT\n");
        Map<String, String> merged = Settings.merge(Settings.read(file),
                Map.of("STREAMLEARN_SNAPSHOT_INTERVAL_MS", "2000", "STREAMLEARN_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                        "HOME", "/root"),
                Map.of("http.port", "9090"));

        assertThat(merged).containsEntry("snapshot.interval.ms", "2000")
                .containsEntry("kafka.security.protocol", "SASL_SSL")
                .containsEntry("http.port", "9090")
                .doesNotContainKey("home");
    }

    /** Hyphenated keys (http.max-body-bytes, retrain.window.max-rows) from the environment, Kubernetes' one channel. */
    @Test
    void aDoubleUnderscoreInAnEnvironmentNameIsAHyphenInTheKey() {
        Map<String, String> merged = Settings.merge(new Properties(), Map.of(
                "STREAMLEARN_HTTP_MAX__BODY__BYTES", "2048",
                "STREAMLEARN_RETRAIN_WINDOW_MAX__ROWS", "50000",
                "STREAMLEARN_SNAPSHOT_SIGNING_KEY", "k"), Map.of());

        assertThat(merged).containsEntry("http.max-body-bytes", "2048")
                .containsEntry("retrain.window.max-rows", "50000")
                .containsEntry("snapshot.signing.key", "k");
        assertThat(Settings.keyOf("STREAMLEARN_MODELS_KEEP__VERSIONS")).isEqualTo("models.keep-versions");
    }

    @Test
    void noFileMeansNoFileValues() throws Exception {
        Properties none = Settings.read(null);
        assertThat(none).isEmpty();
    }

    /**
     * The environment is shared with the launcher and the orchestrator: a variable naming no key is left out (with a
     * WARN) rather than refused, and the launcher's own (JVM options, log level) are not settings at all.
     */
    @Test
    void leavesOutEnvironmentVariablesThatNameNoKeyAndTheLaunchersOwn() {
        Map<String, String> merged = Settings.merge(new Properties(), Map.of(
                "STREAMLEARN_JAVA_OPTS", "-Xmx1g", "STREAMLEARN_LOG_LEVEL", "INFO",
                "STREAMLEARN_SNAPSHOT_INTERVL_MS", "1000", "STREAMLEARN_TRAIN_PORT", "tcp://10.0.0.1:8080",
                "STREAMLEARN_HTTP_PORT", "8081"), Map.of());

        assertThat(merged).isEqualTo(Map.of("http.port", "8081"));
    }

    /** A file or --set is the operator's own: an unknown key there stays, for the service's validate() to refuse. */
    @Test
    void keepsUnknownKeysOfTheFileAndExplicitValuesForValidateToRefuse() {
        Properties file = new Properties();
        file.setProperty("snapshot.intervl.ms", "1000");

        assertThat(Settings.merge(file, Map.of(), Map.of("http.prot", "1")))
                .containsEntry("snapshot.intervl.ms", "1000").containsEntry("http.prot", "1");
        assertThat(new ConfigValues(Settings.merge(file, Map.of(), Map.of())).unknownKeys())
                .containsExactly("unknown key 'snapshot.intervl.ms' (did you mean 'snapshot.interval.ms'?)");
    }
}
