package io.streamlearn.core.data;

import io.streamlearn.core.schema.FeatureSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A dataset file (ARFF, or CSV with a header; either may be gzip-compressed) read into a schema and its rows in file
 * order. Rows are held in memory: the bundled datasets are tens of thousands of rows.
 */
public record Dataset(FeatureSchema schema, List<LabeledRow> rows) {

    /**
     * Reads a file; the format follows the name ({@code .arff}, {@code .csv}, optionally {@code .gz}).
     *
     * @param target the target column, or {@code null} for the last column
     */
    public static Dataset read(Path file, String model, String target) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String plainName = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        try (BufferedReader reader = open(file, name.endsWith(".gz"))) {
            if (plainName.endsWith(".arff")) {
                return new ArffReader(reader).read(model, target);
            }
            if (plainName.endsWith(".csv")) {
                return new CsvReader(reader).read(model, target);
            }
        }
        throw new IllegalArgumentException("unsupported data file '" + file + "': expected .arff or .csv (optionally .gz)");
    }

    public Dataset limit(int maxRows) {
        return maxRows >= rows.size() ? this : new Dataset(schema, rows.subList(0, maxRows));
    }

    private static BufferedReader open(Path file, boolean gzip) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (gzip) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }
}
