package io.streamlearn.cli;

import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelDefinitionCodec;
import io.streamlearn.runtime.definitions.DefinitionFollower;
import io.streamlearn.runtime.definitions.DefinitionRefusedException;
import io.streamlearn.runtime.definitions.DefinitionWriter;
import io.streamlearn.runtime.kafka.TopicSetup;
import io.streamlearn.trainer.TrainerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamlearn models create|update|list|delete}: the model definitions every service of a deployment follows
 * (topic {@code model-definitions}). A running trainer starts a new model with its first event, no restart needed.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Define, change, list and delete the models a deployment trains, monitors and serves.",
        subcommands = {ModelsCommand.Create.class, ModelsCommand.Update.class, ModelsCommand.ListModels.class,
            ModelsCommand.Delete.class})
final class ModelsCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "name a subcommand: create, update, list or delete");
    }

    /** What every subcommand needs: the cluster, the settings and the definitions writer built from them. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Mixin
        SettingsOptions settings;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        TrainerConfig config() throws IOException {
            return TrainerConfig.of(settings.merged(kafka.flag()));
        }

        DefinitionWriter writer(TrainerConfig config) {
            return new DefinitionWriter(config.followerSettings(),
                    config.definitionsTopic(), 1, replication(), DefinitionFollower.DEFAULT_CATCH_UP);
        }

        short replication() {
            return 1;
        }

        @Override
        public final Integer call() throws Exception {
            try {
                return run(config());
            } catch (DefinitionRefusedException e) {
                spec.commandLine().getErr().println("Refused: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            } finally {
                out().flush();
            }
        }

        abstract Integer run(TrainerConfig config) throws Exception;
    }

    /** The definition to write: from --schema, or a schema derived from --data as {@code train} does. */
    abstract static class Writing extends Base {
        @Option(names = "--schema", paramLabel = "FILE",
                description = "Feature schema (JSON, as `streamlearn schema` writes it). Without it, the schema comes "
                        + "from --data's header (ARFF) or values (CSV)")
        Path schemaFile;

        @Mixin
        DataOptions data;

        @Option(names = "--learner", paramLabel = "SPEC",
                description = "MOA learner as a CLI spec (default: by task, as for `train`)")
        String learner;

        @Option(names = "--shards", paramLabel = "N", defaultValue = "0",
                description = "Split an ensemble learner (OzaBag, OzaBagAdwin, AdaptiveRandomForest, "
                        + "StreamingRandomPatches) into N shards that learn in parallel; the trainers need "
                        + "shard.enabled=true (docs/sharding.md; default: not sharded)")
        int shards;

        @Option(names = "--replication-factor", paramLabel = "R", defaultValue = "1",
                description = "Replication of the definitions topic when this creates it (default: 1)")
        short replicationFactor;

        @Override
        short replication() {
            return replicationFactor;
        }

        ModelDefinition definition(TrainerConfig config) throws IOException {
            return data.definition(schemaFile, learner, config).withShards(shards);
        }

        /**
         * A sharded model written while the application's shard topics do not exist: no trainer of it runs with
         * {@code shard.enabled} (they create them at start), and until one does its records are dead-lettered.
         */
        void warnIfNoTrainerShards(TrainerConfig config, ModelDefinition written) {
            if (!written.isSharded()) {
                return;
            }
            String steps = config.shardStepsTopic();
            if (!TopicSetup.describeExisting(config.bootstrapServers(), config.kafkaProperties(), List.of(steps))
                    .containsKey(steps)) {
                spec.commandLine().getErr().println("Note: topic " + steps + " does not exist: no trainer of "
                        + "application " + config.applicationId() + " has run with shard.enabled=true. Until its "
                        + "trainers do, this model's records are dead-lettered (incompatible_definition; "
                        + "docs/sharding.md).");
                spec.commandLine().getErr().flush();
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Define a new model; running trainers start training it with its first event.")
    static final class Create extends Writing {
        @Override
        Integer run(TrainerConfig config) throws Exception {
            try (DefinitionWriter writer = writer(config)) {
                DefinedModel written = writer.create(definition(config));
                warnIfNoTrainerShards(config, written.definition());
                out().println("Defined model '" + written.name() + "' (generation " + written.generation()
                        + ", version " + written.version() + ") with " + written.definition().learnerSpec()
                        + (written.definition().isSharded() ? " in " + written.definition().shards() + " shards" : "")
                        + " on topic " + config.definitionsTopic());
            }
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a model's definition. A new learner, schema or alert rule cannot reuse what the "
                    + "model learned: it is refused unless --reset starts the model afresh.")
    static final class Update extends Writing {
        @Option(names = "--reset",
                description = "Start the model afresh under the new definition (a new generation): its learned state "
                        + "is discarded, its version numbers go on")
        boolean reset;

        @Override
        Integer run(TrainerConfig config) throws Exception {
            try (DefinitionWriter writer = writer(config)) {
                ModelDefinition wanted = definition(config);
                DefinedModel before = writer.catalog().record(wanted.name()).orElse(null);
                DefinedModel written = writer.update(wanted, reset);
                warnIfNoTrainerShards(config, written.definition());
                if (written == before) {
                    out().println("Model '" + written.name() + "' is already defined so (generation "
                            + written.generation() + ", version " + written.version() + "); nothing written");
                } else {
                    out().println("Model '" + written.name() + "' is now generation " + written.generation()
                            + ", version " + written.version() + (reset ? ", started afresh" : ""));
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the models defined.")
    static final class ListModels extends Base {
        @Option(names = "--json", description = "One JSON object per model, as on the topic")
        boolean json;

        @Override
        Integer run(TrainerConfig config) throws Exception {
            try (DefinitionWriter writer = writer(config)) {
                var models = writer.catalog().definitions().stream()
                        .sorted(Comparator.comparing(ModelDefinition::name)).toList();
                if (!json) {
                    out().printf("%-24s %-14s %10s %7s %8s  %s%n", "MODEL", "TASK", "GENERATION", "VERSION",
                            "FEATURES", "LEARNER");
                }
                for (ModelDefinition model : models) {
                    if (json) {
                        out().println(new String(ModelDefinitionCodec.encode(DefinedModel.defined(model)),
                                StandardCharsets.UTF_8));
                    } else {
                        out().printf("%-24s %-14s %10d %7d %8d  %s%n", model.name(),
                                model.schema().task().name().toLowerCase(Locale.ROOT), model.generation(),
                                model.version(), model.schema().features().size(), model.learnerSpec()
                                        + (model.isSharded() ? " (" + model.shards() + " shards)" : ""));
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a model: trainers stop training it and drop its state; its records are then "
                    + "dead-lettered as unknown_model. Its last snapshot stays on the models topic.")
    static final class Delete extends Base {
        @Option(names = "--model", paramLabel = "NAME", required = true, description = "The model to delete")
        String model;

        @Override
        Integer run(TrainerConfig config) throws Exception {
            try (DefinitionWriter writer = writer(config)) {
                DefinedModel written = writer.delete(model);
                out().println("Deleted model '" + written.name() + "' (version " + written.version() + ")");
            }
            return 0;
        }
    }
}
