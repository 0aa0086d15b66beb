package io.streamlearn.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchDirectoriesTest {

    /** What Kafka Streams leaves in a state directory (nested folders, files) goes with it; deleteOnExit kept it. */
    @Test
    void aStateDirectoryIsDeletedWithEverythingInIt() throws Exception {
        Path state = BenchDirectories.create("bench-directories-test");
        Path store = Files.createDirectories(state.resolve("app/0_0/rocksdb/unlabelled-events"));
        Files.writeString(store.resolve("000001.log"), "state");
        Files.writeString(state.resolve("app/.lock"), "");

        BenchDirectories.deleteRecursively(state);

        assertThat(state).doesNotExist();
    }
}
