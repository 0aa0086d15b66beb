package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.cli.SettingsOptions.Flag;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsOptionsTest {

    @TempDir
    Path dir;

    @Test
    void aFlagFillsItsKeyAndAFlagLeftOutLeavesTheFileValue() throws Exception {
        SettingsOptions options = new SettingsOptions();
        options.configFile = dir.resolve("streamlearn.properties");
        Files.writeString(options.configFile, "bootstrap.servers=kafka:9092\nhttp.port=8081\n");

        assertThat(options.merged(new Flag("--bootstrap-servers", "bootstrap.servers", null),
                new Flag("--keep-versions", "models.keep-versions", 5)))
                .containsEntry("bootstrap.servers", "kafka:9092").containsEntry("http.port", "8081")
                .containsEntry("models.keep-versions", "5");
    }

    @Test
    void aFlagAgreeingWithItsKeyIsFineAndOneContradictingItIsAnErrorNamingBoth() throws Exception {
        SettingsOptions options = new SettingsOptions();
        options.configFile = dir.resolve("streamlearn.properties");
        Files.writeString(options.configFile, "http.port=8081\n");
        options.settings.put("admin.token", "from-set");

        assertThat(options.merged(new Flag("--port", "http.port", 8081))).containsEntry("http.port", "8081");
        assertThatThrownBy(() -> options.merged(new Flag("--port", "http.port", 9090)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port and http.port (from --config, STREAMLEARN_* or --set) are both given, with "
                        + "different values; give the setting once");
        assertThatThrownBy(() -> options.merged(new Flag("--admin-token-file", "admin.token", "from-file")))
                .hasMessageContaining("--admin-token-file and admin.token").hasMessageNotContaining("from-");
    }
}
