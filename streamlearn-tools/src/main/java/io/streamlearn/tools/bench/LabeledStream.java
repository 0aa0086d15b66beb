package io.streamlearn.tools.bench;

import com.github.javacliparser.ClassOption;
import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.streamlearn.batch.LabeledWindow;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import moa.options.AbstractOptionHandler;
import moa.streams.InstanceStream;

/**
 * A labelled stream held in memory, encoded as the trainer encodes events: the input of the retraining harnesses.
 * Times are the stream positions.
 */
record LabeledStream(String name, FeatureSchema schema, List<double[]> features, double[] labels) {

    int size() {
        return features.size();
    }

    /** Rows {@code [from, to)} as a retraining window (times = positions). */
    LabeledWindow window(int from, int to) {
        long[] times = new long[to - from];
        Arrays.setAll(times, i -> from + i);
        return new LabeledWindow(schema, features.subList(from, to), Arrays.copyOfRange(labels, from, to), times);
    }

    static LabeledStream of(Dataset dataset) {
        FeatureEncoder encoder = new FeatureEncoder(dataset.schema());
        var json = new EventCodec().json();
        List<double[]> features = new ArrayList<>();
        double[] labels = new double[dataset.rows().size()];
        int n = 0;
        for (LabeledRow row : dataset.rows()) {
            try {
                features.add(encoder.encodeFeatures(json.valueToTree(row.features())));
                labels[n++] = encoder.encodeLabel(json.valueToTree(row.label()));
            } catch (InvalidRecordException e) {
                throw new IllegalArgumentException("dataset row does not fit its own schema: " + e.getMessage(), e);
            }
        }
        return new LabeledStream(dataset.schema().model(), dataset.schema(), features, labels);
    }

    /**
     * The first {@code events} instances of a MOA stream given by its CLI spec (seeded generators repeat exactly);
     * nominal attributes are encoded by value index, as {@link FeatureEncoder} encodes them.
     */
    static LabeledStream moa(String name, String spec, int events) {
        InstanceStream stream;
        try {
            stream = (InstanceStream) ClassOption.cliStringToObject(spec, InstanceStream.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid MOA stream '" + spec + "': " + e.getMessage(), e);
        }
        ((AbstractOptionHandler) stream).prepareForUse();
        InstancesHeader header = stream.getHeader();
        List<FeatureSpec> specs = new ArrayList<>();
        FeatureSpec target = null;
        for (int i = 0; i < header.numAttributes(); i++) {
            FeatureSpec attribute = spec(header.attribute(i));
            if (i == header.classIndex()) {
                target = attribute;
            } else {
                specs.add(attribute);
            }
        }
        FeatureSchema schema = new FeatureSchema(name, target, specs);
        List<double[]> features = new ArrayList<>(events);
        double[] labels = new double[events];
        for (int n = 0; n < events; n++) {
            Instance instance = stream.nextInstance().getData();
            double[] row = new double[specs.size()];
            int column = 0;
            for (int i = 0; i < header.numAttributes(); i++) {
                if (i != header.classIndex()) {
                    row[column++] = instance.value(i);
                }
            }
            features.add(row);
            labels[n] = instance.classValue();
        }
        return new LabeledStream(name, schema, features, labels);
    }

    /** The stream as dataset rows, nominal values by name and numbers as doubles: what the replayer sends. */
    Dataset dataset() {
        List<LabeledRow> rows = new ArrayList<>(size());
        for (int n = 0; n < size(); n++) {
            Map<String, Object> values = new LinkedHashMap<>();
            double[] row = features.get(n);
            for (int i = 0; i < row.length; i++) {
                values.put(schema.features().get(i).name(), value(schema.features().get(i), row[i]));
            }
            rows.add(new LabeledRow(values, value(schema.target(), labels[n])));
        }
        return new Dataset(schema, rows);
    }

    private static Object value(FeatureSpec spec, double value) {
        return spec.isNominal() ? spec.values().get((int) value) : (Object) value;
    }

    private static FeatureSpec spec(Attribute attribute) {
        if (!attribute.isNominal()) {
            return FeatureSpec.numeric(attribute.name());
        }
        List<String> values = new ArrayList<>();
        for (int v = 0; v < attribute.numValues(); v++) {
            values.add(attribute.value(v));
        }
        return FeatureSpec.nominal(attribute.name(), values);
    }
}
