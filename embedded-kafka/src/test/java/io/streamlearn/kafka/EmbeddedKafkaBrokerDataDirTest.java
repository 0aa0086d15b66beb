package io.streamlearn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A caller-provided data directory outlives the broker and is picked up, already formatted, by the next one. */
class EmbeddedKafkaBrokerDataDirTest {

    @TempDir
    Path dataDir;

    @Test
    void nextBrokerOnAFormattedDirectoryKeepsItsTopicsAndTheDirectory() throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(0, dataDir)) {
            first.createTopic("kept", 2, Map.of());
        }
        assertThat(dataDir.resolve("meta.properties")).exists();

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(0, dataDir);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers()))) {
            assertThat(second.dataDir()).isEqualTo(dataDir);
            assertThat(admin.listTopics().names().get()).contains("kept");
        }
        assertThat(Files.isDirectory(dataDir)).isTrue();
    }
}
