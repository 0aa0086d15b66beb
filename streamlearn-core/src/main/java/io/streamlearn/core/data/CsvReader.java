package io.streamlearn.core.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.io.IOException;
import java.io.Reader;
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

    /** RFC 4180 records as string arrays: quoted fields may hold commas, line breaks and doubled quotes. */
    private static final ObjectReader RECORDS = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .readerFor(String[].class);

    private final Reader reader;
    private int recordLine;

    CsvReader(Reader reader) {
        this.reader = reader;
    }

    Dataset read(String model, String targetName) throws IOException {
        List<String[]> lines = new ArrayList<>();
        String[] names;
        try (MappingIterator<String[]> records = RECORDS.readValues(reader)) {
            names = nextRecord(records);
            if (names == null) {
                throw new IllegalArgumentException("CSV file is empty");
            }
            String[] fields;
            while ((fields = nextRecord(records)) != null) {
                if (fields.length != names.length) {
                    throw new IllegalArgumentException("CSV line " + recordLine + " has " + fields.length
                            + " fields, the header has " + names.length);
                }
                lines.add(fields);
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("CSV record from line " + recordLine + ": " + e.getOriginalMessage(), e);
        }
        List<FeatureSpec> columns = new ArrayList<>();
        for (int c = 0; c < names.length; c++) {
            columns.add(inferColumn(names[c].strip(), lines, c));
        }
        int targetIndex = TargetColumn.find(columns, targetName);
        List<LabeledRow> rows = new ArrayList<>(lines.size());
        for (String[] fields : lines) {
            rows.add(toRow(columns, fields, targetIndex));
        }
        return new Dataset(TargetColumn.schema(model, columns, targetIndex), rows);
    }

    /** The next record that is not a blank line, or {@code null} at the end; {@link #recordLine} is where it starts. */
    private String[] nextRecord(MappingIterator<String[]> records) throws IOException {
        while (records.hasNextValue()) {
            recordLine = records.getParser().currentLocation().getLineNr();
            String[] fields = records.nextValue();
            if (fields.length > 1 || !fields[0].isBlank()) {
                return fields;
            }
        }
        return null;
    }

    private static FeatureSpec inferColumn(String name, List<String[]> lines, int column) {
        boolean numeric = true;
        boolean timestamp = true;
        for (String[] fields : lines) {
            String value = fields[column].strip();
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
        for (String[] fields : lines) {
            String value = fields[column].strip();
            if (!isMissing(value)) {
                distinct.add(value);
            }
        }
        return new FeatureSpec(name, FeatureType.NOMINAL, List.copyOf(distinct), MissingPolicy.MISSING, null);
    }

    private static LabeledRow toRow(List<FeatureSpec> columns, String[] fields, int targetIndex) {
        Map<String, Object> features = new HashMap<>(columns.size() * 2);
        Object label = null;
        for (int i = 0; i < columns.size(); i++) {
            String raw = fields[i].strip();
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
