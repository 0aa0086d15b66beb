package io.streamlearn.core.data;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a CSV file with a header line and infers the schema from its values: a column whose every non-empty value
 * parses as a number is numeric, one whose every value is an ISO-8601 instant is a timestamp, anything else is
 * nominal with its values in order of first appearance. The inferred schema is meant to be written out and edited.
 */
final class CsvReader {

    private final BufferedReader reader;

    CsvReader(BufferedReader reader) {
        this.reader = reader;
    }

    Dataset read(String model, String targetName) throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new IllegalArgumentException("CSV file is empty");
        }
        List<String> names = Csv.split(header.strip(), ',');
        List<List<String>> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = Csv.split(line.strip(), ',');
            if (fields.size() != names.size()) {
                throw new IllegalArgumentException("CSV line " + (lines.size() + 2) + " has " + fields.size()
                        + " fields, the header has " + names.size());
            }
            lines.add(fields);
        }
        List<FeatureSpec> columns = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            columns.add(inferColumn(names.get(c).strip(), lines, c));
        }
        int targetIndex = TargetColumn.find(columns, targetName);
        List<LabeledRow> rows = new ArrayList<>(lines.size());
        for (List<String> fields : lines) {
            rows.add(toRow(columns, fields, targetIndex));
        }
        return new Dataset(TargetColumn.schema(model, columns, targetIndex), rows);
    }

    private static FeatureSpec inferColumn(String name, List<List<String>> lines, int column) {
        boolean numeric = true;
        boolean timestamp = true;
        for (List<String> fields : lines) {
            String value = fields.get(column).strip();
            if (isMissing(value)) {
                continue;
            }
            numeric &= isNumber(value);
            timestamp &= !numeric && isInstant(value);
        }
        if (numeric) {
            return new FeatureSpec(name, FeatureType.NUMERIC, List.of(), MissingPolicy.MISSING, null);
        }
        if (timestamp) {
            return new FeatureSpec(name, FeatureType.TIMESTAMP, List.of(), MissingPolicy.MISSING, null);
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (List<String> fields : lines) {
            String value = fields.get(column).strip();
            if (!isMissing(value)) {
                distinct.add(value);
            }
        }
        return new FeatureSpec(name, FeatureType.NOMINAL, List.copyOf(distinct), MissingPolicy.MISSING, null);
    }

    private static LabeledRow toRow(List<FeatureSpec> columns, List<String> fields, int targetIndex) {
        Map<String, Object> features = new HashMap<>(columns.size() * 2);
        Object label = null;
        for (int i = 0; i < columns.size(); i++) {
            String raw = fields.get(i).strip();
            Object value = isMissing(raw) ? null : TargetColumn.typed(columns.get(i), raw);
            if (i == targetIndex) {
                label = value;
            } else if (value != null) {
                features.put(columns.get(i).name(), value);
            }
        }
        return new LabeledRow(features, label);
    }

    private static boolean isMissing(String value) {
        return value.isEmpty() || value.equals("?") || value.equalsIgnoreCase("NA");
    }

    private static boolean isNumber(String value) {
        try {
            return Double.isFinite(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isInstant(String value) {
        try {
            Instant.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
