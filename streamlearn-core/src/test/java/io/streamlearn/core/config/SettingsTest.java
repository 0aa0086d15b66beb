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

    @Test
    void noFileMeansNoFileValues() throws Exception {
        Properties none = Settings.read(null);
        assertThat(none).isEmpty();
    }
}
