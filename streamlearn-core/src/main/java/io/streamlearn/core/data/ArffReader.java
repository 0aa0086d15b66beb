package io.streamlearn.core.data;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads dense ARFF (the Weka/MOA format): {@code @attribute} lines give names and types, nominal values in braces
 * keep their declared order, {@code ?} is a missing value. Sparse rows and relational attributes are not supported.
 */
final class ArffReader {

    private final BufferedReader reader;

    ArffReader(BufferedReader reader) {
        this.reader = reader;
    }

    Dataset read(String model, String targetName) throws IOException {
        List<FeatureSpec> columns = readHeader();
        int targetIndex = TargetColumn.find(columns, targetName);
        List<LabeledRow> rows = new ArrayList<>();
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("%")) {
                continue;
            }
            if (trimmed.startsWith("{")) {
                throw new IllegalArgumentException("sparse ARFF rows are not supported (data line " + lineNumber + ")");
            }
            List<String> fields = Csv.split(trimmed, ',');
            if (fields.size() != columns.size()) {
                throw new IllegalArgumentException("data line " + lineNumber + " has " + fields.size()
                        + " fields, the header declares " + columns.size());
            }
            rows.add(toRow(columns, fields, targetIndex));
        }
        return new Dataset(TargetColumn.schema(model, columns, targetIndex), rows);
    }

    private List<FeatureSpec> readHeader() throws IOException {
        List<FeatureSpec> columns = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            String trimmed = line.strip();
            String lower = trimmed.toLowerCase(Locale.ROOT);
            if (lower.startsWith("@attribute")) {
                columns.add(parseAttribute(trimmed.substring("@attribute".length()).strip()));
            } else if (lower.startsWith("@data")) {
                return columns;
            }
        }
        throw new IllegalArgumentException("ARFF file has no @data section");
    }

    private static FeatureSpec parseAttribute(String declaration) {
        String name;
        String rest;
        if (declaration.startsWith("'") || declaration.startsWith("\"")) {
            char quote = declaration.charAt(0);
            int end = declaration.indexOf(quote, 1);
            name = declaration.substring(1, end);
            rest = declaration.substring(end + 1).strip();
        } else {
            int space = indexOfWhitespace(declaration);
            name = declaration.substring(0, space);
            rest = declaration.substring(space).strip();
        }
        if (rest.startsWith("{")) {
            String inner = rest.substring(1, rest.lastIndexOf('}'));
            List<String> values = new ArrayList<>();
            for (String value : Csv.split(inner, ',')) {
                values.add(value.strip());
            }
            return new FeatureSpec(name, FeatureType.NOMINAL, values, MissingPolicy.MISSING, null);
        }
        String type = rest.toLowerCase(Locale.ROOT);
        if (type.startsWith("numeric") || type.startsWith("real") || type.startsWith("integer")) {
            return new FeatureSpec(name, FeatureType.NUMERIC, List.of(), MissingPolicy.MISSING, null);
        }
        if (type.startsWith("date")) {
            return new FeatureSpec(name, FeatureType.TIMESTAMP, List.of(), MissingPolicy.MISSING, null);
        }
        throw new IllegalArgumentException("unsupported ARFF attribute type for '" + name + "': " + rest);
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        throw new IllegalArgumentException("ARFF attribute without a type: " + text);
    }

    private static LabeledRow toRow(List<FeatureSpec> columns, List<String> fields, int targetIndex) {
        Map<String, Object> features = new HashMap<>(columns.size() * 2);
        Object label = null;
        for (int i = 0; i < columns.size(); i++) {
            String raw = fields.get(i).strip();
            Object value = raw.equals("?") ? null : TargetColumn.typed(columns.get(i), raw);
            if (i == targetIndex) {
                label = value;
            } else if (value != null) {
                features.put(columns.get(i).name(), value);
            }
        }
        return new LabeledRow(features, label);
    }
}
