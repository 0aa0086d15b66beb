package io.streamlearn.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import moa.tasks.NullMonitor;
import moa.tasks.WriteStreamToARFFFile;

/**
 * A synthetic dataset written by MOA itself: one of MOA's stream generators ({@code generators.RandomTreeGenerator},
 * {@code generators.SEAGenerator}, ...) through MOA's {@code WriteStreamToARFFFile} task, so the file is byte for byte
 * what MOA writes. MOA's generators draw from their own seed options ({@code -i}, and {@code -r} for the random tree),
 * which default to 1: the same spec and row count give the same bytes.
 */
public final class GeneratedArff {

    private GeneratedArff() {
    }

    /**
     * @param generator a MOA stream spec, e.g. {@code generators.RandomTreeGenerator -o 3 -v 300 -u 5}
     * @throws IllegalArgumentException when the spec names no MOA stream or its options are wrong
     */
    public static void write(String generator, int rows, Path out) throws IOException {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be at least 1, got " + rows);
        }
        WriteStreamToARFFFile task = new WriteStreamToARFFFile();
        try {
            task.streamOption.setValueViaCLIString(generator);
            task.prepareForUse();
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a stream needing a library the MOA dependency excludes.
            throw new IllegalArgumentException("invalid MOA stream spec '" + generator + "': " + rootMessage(e), e);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        task.arffFileOption.setValue(out.toString());
        task.maxInstancesOption.setValue(rows);
        task.doTask(new NullMonitor(), null);
    }

    /** MOA wraps the reason (an unknown class or option) in "Problems with option: stream". */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
