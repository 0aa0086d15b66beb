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
}
