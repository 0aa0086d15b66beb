package io.streamlearn.core.data;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstanceInformation;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import io.streamlearn.core.schema.MissingPolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads ARFF with MOA's own loader, the one behind MOA's {@code ArffFileStream}, so a file gives the rows MOA's tasks
 * see: {@code @relation}, {@code @attribute} and {@code @data} in any case, names and values quoted with {@code '} or
 * {@code "}, {@code %} comments, {@code ?} for a missing value, sparse rows ({@code {0 1.5, 3 a}}, an absent entry
 * being 0 or a nominal attribute's first value) and the trailing comma MOA's {@code WriteStreamToARFFFile} writes.
 *
 * <p>A nominal value the header does not declare is added to the attribute's values, in order of first appearance, as
 * MOA 2024.07's loader adds it.
 *
 * <p>Refused with a message where MOA would read wrong values without a word: {@code string}, {@code date} and
 * {@code relational} attributes (MOA's loader reads them as numeric), a dense row with fewer values than attributes
 * (MOA fills in zeros) and {@code ?} in a sparse row's nominal entry (MOA takes it for a value, not missing).
 */
final class ArffReader {

    /** An {@code @attribute} declaration's name and type, split on the characters MOA's tokenizer splits on. */
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "^[ \\t]*@attribute[^\\s,%'\"{}]*[\\s,]+(?:'(?:[^'\\\\\\n]|\\\\.)*'|\"(?:[^\"\\\\\\n]|\\\\.)*\"|[^\\s,%'\"{}]+)"
                    + "[ \\t,]*(\\{|[^\\s,%'\"{}]+)",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern DATA = Pattern.compile("^[ \\t]*@data", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    private final Reader reader;

    ArffReader(Reader reader) {
        this.reader = reader;
    }

    Dataset read(String model, String targetName) throws IOException {
        try {
            ArffLoaderInput input = new ArffLoaderInput(reader);
            CountingArffLoader loader = new CountingArffLoader(input);
            InstanceInformation header = loader.getStructure();
            List<String> types = declaredTypes(input.stopCapturing());
            int targetIndex = TargetColumn.find(columns(header, types), targetName);
            List<LabeledRow> rows = new ArrayList<>();
            Instance instance;
            while ((instance = next(loader, header)) != null) {
                rows.add(toRow(loader, header, instance, targetIndex));
            }
            return new Dataset(TargetColumn.schema(model, columns(header, types), targetIndex), rows);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static List<String> declaredTypes(String header) {
        Matcher data = DATA.matcher(header);
        if (!data.find()) {
            throw new IllegalArgumentException("ARFF file has no @data section");
        }
        List<String> types = new ArrayList<>();
        Matcher attribute = ATTRIBUTE.matcher(header.substring(0, data.start()));
        while (attribute.find()) {
            types.add(attribute.group(1).toLowerCase(Locale.ROOT));
        }
        return types;
    }

    private static List<FeatureSpec> columns(InstanceInformation header, List<String> declaredTypes) {
        if (header.numAttributes() == 0) {
            throw new IllegalArgumentException("ARFF header declares no attributes");
        }
        if (declaredTypes.size() != header.numAttributes()) {
            throw new IllegalArgumentException("ARFF header: found " + declaredTypes.size()
                    + " @attribute declarations where MOA's loader read " + header.numAttributes());
        }
        List<FeatureSpec> columns = new ArrayList<>(header.numAttributes());
        for (int i = 0; i < header.numAttributes(); i++) {
            columns.add(column(header.attribute(i), declaredTypes.get(i)));
        }
        return columns;
    }

    /** A column as the header declares it, with the values the rows added to a nominal attribute so far. */
    private static FeatureSpec column(Attribute attribute, String declaredType) {
        String name = attribute.name();
        return switch (declaredType) {
            case "{" -> nominal(name, attribute.getAttributeValues());
            case "numeric", "real", "integer" -> new FeatureSpec(name, FeatureType.NUMERIC, List.of(),
                    MissingPolicy.MISSING, null);
            case "string", "date", "relational" -> throw new IllegalArgumentException("ARFF attribute '" + name
                    + "' is " + declaredType + ": MOA's ARFF loader reads only numeric (numeric, real, integer) and"
                    + " nominal ({...}) attributes");
            default -> throw new IllegalArgumentException("ARFF attribute '" + name + "' has an unknown type '"
                    + declaredType + "'");
        };
    }

    private static FeatureSpec nominal(String name, List<String> values) {
        if (values.contains("?")) {
            throw new IllegalArgumentException("ARFF attribute '" + name + "' has '?' among its values: MOA's loader"
                    + " takes '?' for missing in a dense row but for a value in a sparse one; write the row dense");
        }
        return new FeatureSpec(name, FeatureType.NOMINAL, List.copyOf(values), MissingPolicy.MISSING, null);
    }

    /** MOA's next row, with MOA's own failures (a bad number, a row too long) told by line. */
    private static Instance next(CountingArffLoader loader, InstanceInformation header) {
        try {
            return loader.readInstance();
        } catch (NumberFormatException e) {
            int index = loader.denseValues();
            String where = index >= 0 && index < header.numAttributes()
                    ? " of numeric attribute '" + header.attribute(index).name() + "'" : "";
            throw new IllegalArgumentException("ARFF line " + loader.line() + ": a value" + where + " is not a number ("
                    + e.getMessage() + ")", e);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("ARFF line " + loader.line() + ": a value beyond the "
                    + header.numAttributes() + " attributes the header declares", e);
        }
    }

    private static LabeledRow toRow(CountingArffLoader loader, InstanceInformation header, Instance instance,
                                    int targetIndex) {
        int given = loader.denseValues();
        if (given >= 0 && given != header.numAttributes()) {
            throw new IllegalArgumentException("ARFF line " + loader.rowLine() + " has " + given
                    + " values, the header declares " + header.numAttributes() + " attributes");
        }
        Map<String, Object> features = new HashMap<>(header.numAttributes() * 2);
        Object label = null;
        for (int i = 0; i < header.numAttributes(); i++) {
            Attribute attribute = header.attribute(i);
            double value = instance.value(i);
            Object typed = Double.isNaN(value) ? null : attribute.isNominal() ? attribute.value((int) value) : value;
            if (i == targetIndex) {
                label = typed;
            } else if (typed != null) {
                features.put(attribute.name(), typed);
            }
        }
        return new LabeledRow(features, label);
    }
}
