package io.streamlearn.core.data;

import java.util.ArrayList;
import java.util.List;

/** Splits one delimited line, honouring single or double quotes (RFC 4180 style doubled quotes inside). */
final class Csv {

    private Csv() {
    }

    static List<String> split(String line, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote && i + 1 < line.length() && line.charAt(i + 1) == quote) {
                    field.append(c);
                    i++;
                } else if (c == quote) {
                    quote = 0;
                } else {
                    field.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
