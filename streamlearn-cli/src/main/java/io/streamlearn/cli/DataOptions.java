package io.streamlearn.cli;

import io.streamlearn.core.data.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which data file to read and how: shared by the commands that replay or learn from a file. */
public final class DataOptions {

    /** Electricity (Harries 1999), bundled in the jar; see datasets/README.md for its attribution. */
    static final String BUNDLED_ELECTRICITY = "/datasets/electricity.arff.gz";

    @Option(names = "--data", paramLabel = "PATH",
            description = "CSV with a header or ARFF file, optionally .gz (default: the bundled Electricity dataset)")
    Path data;

    @Option(names = "--target", paramLabel = "NAME", description = "Target column (default: the last column)")
    String target;

    @Option(names = "--model", paramLabel = "NAME",
            description = "Model name: the key of its events (default: the data file's base name, e.g. electricity)")
    String model;

    @Option(names = "--drop", paramLabel = "COLUMN", split = ",",
            description = "Leave these columns out, e.g. --drop casual,registered,instant (leaks of the target, row ids)")
    List<String> drop = new ArrayList<>();

    @Option(names = "--events", paramLabel = "N", description = "Replay only the first N rows (default: all)")
    Integer events;

    public String modelName() {
        if (model != null) {
            return model;
        }
        if (data == null) {
            return "electricity";
        }
        String name = data.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    public Dataset read() throws IOException {
        Dataset dataset = Dataset.read(data == null ? bundledElectricity() : data, modelName(), target).drop(drop);
        return events == null ? dataset : dataset.limit(events);
    }

    private static Path bundledElectricity() {
        try (InputStream in = DataOptions.class.getResourceAsStream(BUNDLED_ELECTRICITY)) {
            if (in == null) {
                throw new IllegalStateException("the bundled Electricity dataset is missing from the jar");
            }
            Path copy = Files.createTempFile("electricity", ".arff.gz");
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
