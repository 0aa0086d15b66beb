package io.streamlearn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of a {@code streamlearn} subcommand in a JVM of its own, for tests that kill one with SIGKILL. Its
 * temporary folder is the test's: RocksDB and lz4-java unpack their native libraries there (15 MB a JVM) and delete
 * them only on a normal exit, so every killed JVM used to leave them in the machine's /tmp.
 */
final class StreamlearnJvm {

    private StreamlearnJvm() {
    }

    /**
     * @param tmp       the JVM's {@code java.io.tmpdir}, created when missing (under the test's temporary directory,
     *                  deleted with it)
     * @param arguments the subcommand and its options; {@code settings} follow as {@code --set key=value}
     */
    static List<String> command(String maxHeap, Path tmp, List<String> arguments, Map<String, String> settings)
            throws IOException {
        Files.createDirectories(tmp);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                StreamlearnCommand.class.getName()));
        command.addAll(arguments);
        settings.forEach((key, value) -> {
            command.add("--set");
            command.add(key + "=" + value);
        });
        return command;
    }
}
