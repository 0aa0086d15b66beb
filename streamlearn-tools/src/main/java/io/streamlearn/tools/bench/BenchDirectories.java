package io.streamlearn.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Temporary directories of a benchmark (Kafka Streams state, generated data), deleted with everything in them when
 * the JVM exits: Kafka Streams holds a state directory until its client closes, and {@code deleteOnExit} removes
 * only empty directories, so every run used to leave its state behind in the temporary folder.
 */
public final class BenchDirectories {

    private static final List<Path> CREATED = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(BenchDirectories::deleteAll, "bench-directories-cleanup"));
    }

    private BenchDirectories() {
    }

    /** A new temporary directory named after {@code prefix}, deleted at exit. */
    public static Path create(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            synchronized (CREATED) {
                CREATED.add(directory);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteAll() {
        synchronized (CREATED) {
            for (Path directory : CREATED) {
                try {
                    deleteRecursively(directory);
                } catch (IOException | UncheckedIOException e) {
                    // Best effort at exit: what cannot be listed stays in the temporary folder.
                }
            }
        }
    }

    /** Deletes {@code directory} with everything in it; nothing when it does not exist. */
    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
