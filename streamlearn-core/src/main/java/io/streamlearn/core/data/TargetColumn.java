package io.streamlearn.core.data;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.util.ArrayList;
import java.util.List;

/** Picks the target among a file's columns and types raw field text the way events carry it. */
final class TargetColumn {

    private TargetColumn() {
    }

    static int find(List<FeatureSpec> columns, String targetName) {
        if (targetName == null) {
            return columns.size() - 1;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(targetName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("target '" + targetName + "' is not a column of the data file");
    }

    static FeatureSchema schema(String model, List<FeatureSpec> columns, int targetIndex) {
        List<FeatureSpec> features = new ArrayList<>(columns);
        FeatureSpec target = features.remove(targetIndex);
        return new FeatureSchema(model, target, features);
    }

    static Object typed(FeatureSpec column, String raw) {
        if (column.type() == FeatureType.NUMERIC) {
            try {
                return Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("column '" + column.name() + "' is numeric but holds '" + raw + "'");
            }
        }
        return raw;
    }
}
