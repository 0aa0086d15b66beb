package io.streamlearn.cli;

import io.streamlearn.core.data.AnomalyInjection;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.Task;
import io.streamlearn.trainer.TrainerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which data file to read and how: shared by the commands that replay or learn from a file. */
public final class DataOptions {

    /** Electricity (Harries 1999), bundled in the jar; see datasets/README.md for its attribution. */
    static final String BUNDLED_ELECTRICITY = "/datasets/electricity.arff.gz";

    @Option(names = "--data", paramLabel = "PATH",
            description = "CSV with a header or ARFF file, optionally .gz (default: the bundled Electricity dataset)")
    Path data;

    @Option(names = "--target", paramLabel = "NAME", description = "Target column (default: the last column)")
    String target;

    @Option(names = "--model", paramLabel = "NAME",
            description = "Model name: the key of its events (default: the data file's base name, e.g. electricity)")
    String model;

    @Option(names = "--drop", paramLabel = "COLUMN", split = ",",
            description = "Leave these columns out, e.g. --drop casual,registered,instant (leaks of the target, row ids)")
    List<String> drop = new ArrayList<>();

    @Option(names = "--events", paramLabel = "N", description = "Replay only the first N rows (default: all)")
    Integer events;

    @Option(names = "--task", paramLabel = "TASK", converter = TaskConverter.class,
            description = "classification, regression, anomaly or cluster (default: from the target: classification "
                    + "for a nominal one, regression for a numeric one)")
    Task task;

    @Option(names = "--inject-anomalies", paramLabel = "RATE",
            description = "With --task anomaly: replay with this share of rows turned into anomalies, labelled so "
                    + "(default " + AnomalyInjection.DEFAULT_RATE + " unless --target names a two-valued label "
                    + "column whose second value means anomaly)")
    Double injectAnomalies;

    /** Picocli's own enum conversion wants upper case; the task names are lower case everywhere else. */
    static final class TaskConverter implements CommandLine.ITypeConverter<Task> {
        @Override
        public Task convert(String value) {
            return Task.fromJson(value);
        }
    }

    /** {@code --data}, or {@code null} for the bundled Electricity dataset. */
    public Path data() {
        return data;
    }

    /** {@code --model} as given, or {@code null} ({@link #modelName} then derives it from the data). */
    public String model() {
        return model;
    }

    /** {@code --events}, or {@code null} for every row. */
    public Integer events() {
        return events;
    }

    /** The schema with {@code --task} applied (an anomaly task needs a two-valued label: normal, anomaly). */
    public FeatureSchema withTask(FeatureSchema schema) {
        return task == null || task == schema.task() ? schema : schema.withTask(task);
    }

    /**
     * An anomaly task keeps the data's target as its label only when {@code --target} names it and no injection is
     * asked for; otherwise {@link #read} injects labelled anomalies.
     */
    private boolean injects() {
        return task == Task.ANOMALY && (injectAnomalies != null || target == null);
    }

    public String modelName() {
        if (model != null) {
            return model;
        }
        if (data == null) {
            return "electricity";
        }
        String name = data.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * The model {@code train --schema} and {@code models create|update} define: the schema from {@code schemaFile}
     * (with {@code --task} and {@code --model} applied) or, without it, from the data; the learner given or the task's
     * default; the alert rule of {@code config}.
     */
    public ModelDefinition definition(Path schemaFile, String learner, TrainerConfig config) throws IOException {
        FeatureSchema schema;
        if (schemaFile != null) {
            schema = withTask(FeatureSchema.read(schemaFile));
            schema = model == null ? schema : schema.withModel(model);
        } else {
            schema = read().schema();
        }
        return new ModelDefinition(schema, LearnerFactory.specOrDefault(learner, schema.task()),
                config.alertRule(schema.model()));
    }

    public Dataset read() throws IOException {
        Dataset dataset = Dataset.read(data == null ? bundledElectricity() : data, modelName(), target).drop(drop);
        dataset = events == null ? dataset : dataset.limit(events);
        if (injects()) {
            return AnomalyInjection.inject(dataset,
                    injectAnomalies == null ? AnomalyInjection.DEFAULT_RATE : injectAnomalies);
        }
        return new Dataset(withTask(dataset.schema()), dataset.rows());
    }

    private static Path bundledElectricity() {
        try (InputStream in = DataOptions.class.getResourceAsStream(BUNDLED_ELECTRICITY)) {
            if (in == null) {
                throw new IllegalStateException("the bundled Electricity dataset is missing from the jar");
            }
            Path copy = Files.createTempFile("electricity", ".arff.gz");
            copy.toFile().deleteOnExit();
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
