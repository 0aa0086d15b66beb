package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.util.ArrayList;
import java.util.List;

/** Finding, checking and replacing columns of a pipeline stage. */
final class Columns {

    private Columns() {
    }

    static int indexOf(List<FeatureSpec> columns, String name, String transform) {
        if (name == null) {
            throw new IllegalArgumentException(transform + " transform names no feature");
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(transform + " transform: no column '" + name + "' at this step of the "
                + "pipeline (a one_hot, timestamp or hash step replaces its column)");
    }

    static void requireType(FeatureSpec column, String transform, FeatureType... types) {
        for (FeatureType type : types) {
            if (column.type() == type) {
                return;
            }
        }
        throw new IllegalArgumentException(transform + " transform cannot take " + column.type().jsonName()
                + " column '" + column.name() + "'");
    }

    /** The columns with the one at {@code index} replaced by {@code replacement} (in place, in order). */
    static List<FeatureSpec> replace(List<FeatureSpec> columns, int index, List<FeatureSpec> replacement) {
        List<FeatureSpec> result = new ArrayList<>(columns.subList(0, index));
        result.addAll(replacement);
        result.addAll(columns.subList(index + 1, columns.size()));
        return List.copyOf(result);
    }

    /** The row with the value at {@code index} replaced by {@code values}. */
    static double[] replace(double[] row, int index, double[] values) {
        double[] result = new double[row.length - 1 + values.length];
        System.arraycopy(row, 0, result, 0, index);
        System.arraycopy(values, 0, result, index, values.length);
        System.arraycopy(row, index + 1, result, index + values.length, row.length - index - 1);
        return result;
    }

    static double[] with(double[] row, int index, double value) {
        double[] result = row.clone();
        result[index] = value;
        return result;
    }

    static List<FeatureSpec> numeric(List<String> names) {
        return names.stream().map(FeatureSpec::numeric).toList();
    }
}
