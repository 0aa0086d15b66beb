package io.streamlearn.core.data;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A dataset file (ARFF, or CSV with a header; either may be gzip-compressed, UTF-8 with or without a byte order mark)
 * read into a schema and its rows in file order. Rows are held in memory: the bundled datasets are tens of thousands
 * of rows.
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

    /**
     * The dataset without some feature columns: leaking ones (a target's parts, like Bike Sharing's {@code casual}
     * and {@code registered}) or row ids. The schema and every row lose them; the order of the rest is kept.
     *
     * @throws IllegalArgumentException when a name is not a feature column, or all features would go
     */
    public Dataset drop(Collection<String> columns) {
        if (columns.isEmpty()) {
            return this;
        }
        Set<String> dropped = new HashSet<>(columns);
        for (String column : dropped) {
            if (column.equals(schema.target().name())) {
                throw new IllegalArgumentException("cannot drop '" + column + "': it is the target");
            }
            if (schema.indexOf(column).isEmpty()) {
                throw new IllegalArgumentException("cannot drop '" + column + "': not a column of the data");
            }
        }
        List<FeatureSpec> kept = new ArrayList<>();
        for (FeatureSpec feature : schema.features()) {
            if (!dropped.contains(feature.name())) {
                kept.add(feature);
            }
        }
        List<LabeledRow> keptRows = new ArrayList<>(rows.size());
        for (LabeledRow row : rows) {
            Map<String, Object> features = new HashMap<>(row.features());
            features.keySet().removeAll(dropped);
            keptRows.add(new LabeledRow(features, row.label()));
        }
        return new Dataset(new FeatureSchema(schema.model(), schema.target(), kept, List.of(), schema.declaredTask()), keptRows);
    }

    private static BufferedReader open(Path file, boolean gzip) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (gzip) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        try {
            skipByteOrderMark(reader);
        } catch (IOException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    /** Spreadsheet programs start UTF-8 files with a byte order mark, which would otherwise begin the first name. */
    private static void skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }
}
