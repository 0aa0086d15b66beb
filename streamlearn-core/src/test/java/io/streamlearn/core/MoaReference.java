package io.streamlearn.core;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import moa.evaluation.preview.LearningCurve;
import moa.streams.ArffFileStream;
import moa.tasks.EvaluatePrequential;
import moa.tasks.EvaluatePrequentialDelayed;
import moa.tasks.EvaluatePrequentialRegression;
import moa.tasks.MainTask;
import moa.tasks.NullMonitor;

/**
 * The correctness oracle: MOA's own evaluation tasks ({@code EvaluatePrequential}, {@code EvaluatePrequentialDelayed},
 * {@code EvaluatePrequentialRegression}) over MOA's own {@code ArffFileStream}, with the basic (cumulative)
 * evaluators. Nothing of ours runs in them; {@link #writeArff} only writes a prepared dataset as the file MOA reads.
 * {@link #readArff} gives the rows MOA's {@code ArffFileStream} reads from a file, to hold our reader to.
 */
public final class MoaReference {

    private MoaReference() {
    }

    /** What MOA's prequential task reports at the end of the stream: instances seen and how many were correct. */
    public record Score(long instances, long correct) {
    }

    /** What MOA's regression task reports at the end of the stream. */
    public record RegressionScore(long instances, double mae, double rmse) {
    }

    /**
     * @param arffGz  a gzip-compressed ARFF file (MOA reads only plain files, so it is unpacked into {@code workDir})
     * @param learner a MOA CLI spec such as {@code trees.HoeffdingTree}
     */
    public static Score prequential(Path arffGz, String learner, Path workDir) throws Exception {
        return prequentialOfArff(gunzip(arffGz, workDir.resolve("reference.arff")), learner);
    }

    /** As {@link #prequential} on a plain ARFF file. */
    public static Score prequentialOfArff(Path arff, String learner) {
        return classification(new EvaluatePrequential(), "-s (ArffFileStream -f " + arff + ") -l (" + learner
                + ") -e BasicClassificationPerformanceEvaluator");
    }

    /**
     * MOA's {@code EvaluatePrequentialDelayed -k delay -p 0}: at instance i it first trains on instance i - delay,
     * then tests instance i; no initial window, so every instance is tested.
     */
    public static Score prequentialDelayed(Path arffGz, String learner, int delay, Path workDir) throws Exception {
        Path arff = gunzip(arffGz, workDir.resolve("reference.arff"));
        return classification(new EvaluatePrequentialDelayed(), "-s (ArffFileStream -f " + arff + ") -l (" + learner
                + ") -e BasicClassificationPerformanceEvaluator -k " + delay + " -p 0");
    }

    /** MOA's {@code EvaluatePrequentialRegression} on a plain ARFF file (see {@link #writeArff}). */
    public static RegressionScore prequentialRegression(Path arff, String learner) throws Exception {
        LearningCurve curve = run(new EvaluatePrequentialRegression(), "-s (ArffFileStream -f " + arff + ") -l ("
                + learner + ") -e BasicRegressionPerformanceEvaluator");
        return new RegressionScore(Math.round(last(curve, "classified instances")), last(curve, "mean absolute error"),
                last(curve, "root mean squared error"));
    }

    /**
     * Writes a dataset (after {@link Dataset#drop} or any other preparation) as the ARFF file MOA reads: features in
     * schema order, the target last. Integral numbers are written without a fraction, others in Java's shortest
     * round-trip form, so MOA parses back the very doubles we learn from.
     */
    public static Path writeArff(Dataset dataset, Path file) throws Exception {
        List<FeatureSpec> columns = new ArrayList<>(dataset.schema().features());
        columns.add(dataset.schema().target());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("@relation " + dataset.schema().model() + "\n\n");
            for (FeatureSpec column : columns) {
                String type = column.isNominal() ? "{" + String.join(",", column.values()) + "}" : "numeric";
                out.write("@attribute " + column.name() + " " + type + "\n");
            }
            out.write("\n@data\n");
            String target = dataset.schema().target().name();
            for (LabeledRow row : dataset.rows()) {
                StringBuilder line = new StringBuilder();
                for (FeatureSpec column : columns) {
                    Object value = column.name().equals(target) ? row.label() : row.features().get(column.name());
                    line.append(line.length() == 0 ? "" : ",").append(arffValue(value));
                }
                out.write(line.append('\n').toString());
            }
        }
        return file;
    }

    private static String arffValue(Object value) {
        if (value == null) {
            return "?";
        }
        if (value instanceof Double number && number == Math.rint(number) && Math.abs(number) < 1e15) {
            return Long.toString(number.longValue());
        }
        return value.toString();
    }

    /**
     * A plain ARFF file as MOA's own {@code ArffFileStream} reads it (the class last), in the shape of
     * {@link Dataset#read}: every attribute numeric or nominal with its declared values, a missing value ({@code NaN})
     * absent, nominal values as their text.
     */
    public static Dataset readArff(Path arff, String model) {
        ArffFileStream stream = new ArffFileStream(arff.toString(), -1);
        stream.prepareForUse();
        List<LabeledRow> rows = new ArrayList<>();
        while (stream.hasMoreInstances()) {
            Instance instance = stream.nextInstance().getData();
            Map<String, Object> features = new HashMap<>();
            for (int i = 0; i < instance.numAttributes() - 1; i++) {
                Object value = moaValue(instance.attribute(i), instance.value(i));
                if (value != null) {
                    features.put(instance.attribute(i).name(), value);
                }
            }
            rows.add(new LabeledRow(features, moaValue(instance.classAttribute(), instance.classValue())));
        }
        // After the rows: MOA adds a nominal value the header does not declare to the attribute's values.
        InstancesHeader header = stream.getHeader();
        List<FeatureSpec> columns = new ArrayList<>();
        for (int i = 0; i < header.numAttributes(); i++) {
            Attribute attribute = header.attribute(i);
            columns.add(attribute.isNominal()
                    ? new FeatureSpec(attribute.name(), FeatureType.NOMINAL, List.copyOf(attribute.getAttributeValues()),
                            MissingPolicy.MISSING, null)
                    : new FeatureSpec(attribute.name(), FeatureType.NUMERIC, List.of(), MissingPolicy.MISSING, null));
        }
        FeatureSpec target = columns.remove(columns.size() - 1);
        return new Dataset(new FeatureSchema(model, target, columns), rows);
    }

    private static Object moaValue(Attribute attribute, double value) {
        if (Double.isNaN(value)) {
            return null;
        }
        return attribute.isNominal() ? attribute.value((int) value) : (Object) value;
    }

    private static Score classification(MainTask task, String options) {
        LearningCurve curve = run(task, options);
        double instances = last(curve, "learning evaluation instances");
        double percent = last(curve, "classifications correct (percent)");
        return new Score(Math.round(instances), Math.round(percent * instances / 100.0));
    }

    private static LearningCurve run(MainTask task, String options) {
        task.getOptions().setViaCLIString(options);
        task.prepareForUse();
        return (LearningCurve) task.doTask(new NullMonitor(), null);
    }

    private static double last(LearningCurve curve, String name) {
        for (int i = 0; i < curve.getMeasurementNameCount(); i++) {
            if (curve.getMeasurementName(i).equals(name)) {
                return curve.getMeasurement(curve.numEntries() - 1, i);
            }
        }
        throw new IllegalStateException("MOA's learning curve has no measurement '" + name + "'");
    }

    private static Path gunzip(Path gz, Path target) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz));
             OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
        return target;
    }
}
