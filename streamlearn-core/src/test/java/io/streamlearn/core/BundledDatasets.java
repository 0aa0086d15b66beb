package io.streamlearn.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's {@code datasets/} folder from wherever the tests run (module or repository root). */
public final class BundledDatasets {

    private BundledDatasets() {
    }

    public static Path electricityArff() {
        return file("electricity.arff.gz");
    }

    public static Path file(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("datasets").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no datasets/" + name + " above " + Path.of("").toAbsolutePath());
    }
}
