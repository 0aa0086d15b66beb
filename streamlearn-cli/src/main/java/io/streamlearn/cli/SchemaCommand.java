package io.streamlearn.cli;

import io.streamlearn.core.schema.FeatureSchema;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes the feature schema of a data file, to be edited and given to {@code train --schema}. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Infer a feature schema from an ARFF header or CSV values and write it as JSON.")
final class SchemaCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: print to stdout)")
    Path out;

    @Override
    public Integer call() throws Exception {
        FeatureSchema schema = data.read().schema();
        if (out == null) {
            System.out.println(schema.toJson());
        } else {
            schema.write(out);
            System.out.println("Wrote the schema of model '" + schema.model() + "' to " + out);
        }
        return 0;
    }
}
