package io.streamlearn.runtime.definitions;

import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.core.model.ModelDefinitionCodec;
import io.streamlearn.runtime.kafka.FollowerSettings;
import io.streamlearn.runtime.kafka.TopicSetup;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes model definitions ({@code streamlearn models create|update|delete}, and {@code train --schema}) after
 * checking them against what the topic holds: a model is created once, and an update that changes what the model's
 * learned state was defined by (learner, schema, alert rule) is refused unless it asks for a reset, which starts a new
 * generation of the model from scratch. Writers are meant to be people and deploy scripts, one at a time: two
 * concurrent writers of one model are not detected (the later record wins).
 */
public final class DefinitionWriter implements AutoCloseable {

    private final FollowerSettings settings;
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final ModelCatalog catalog = new ModelCatalog();

    /** Creates the (compacted) topic when missing and reads what it holds. */
    public DefinitionWriter(FollowerSettings settings, String topic, int partitions, short replication,
            Duration timeout) {
        this.settings = settings;
        this.topic = topic;
        TopicSetup.createShared(settings.bootstrapServers(), settings.kafkaProperties(), definitionsTopic(topic,
                partitions, replication));
        try (DefinitionFollower follower = new DefinitionFollower(settings, topic, "streamlearn-definitions-reader",
                catalog)) {
            follower.startAndCatchUp(timeout);
        }
        Map<String, Object> properties = new HashMap<>(settings.kafkaProperties());
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    /** The definitions topic as every service creates it: compacted, so the newest record of each model stays. */
    public static NewTopic definitionsTopic(String name, int partitions, short replication) {
        return new NewTopic(name, partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** What the topic held when this writer started, plus its own writes. */
    public ModelCatalog catalog() {
        return catalog;
    }

    /**
     * Defines a new model. A name deleted before starts a new generation.
     *
     * @throws DefinitionRefusedException when the model is already defined
     */
    public DefinedModel create(ModelDefinition definition) {
        Optional<DefinedModel> known = catalog.record(definition.name());
        if (known.isPresent() && !known.get().deleted()) {
            throw new DefinitionRefusedException("model '" + definition.name() + "' is already defined (generation "
                    + known.get().generation() + ", version " + known.get().version()
                    + "); change it with `streamlearn models update`");
        }
        long generation = known.map(model -> model.generation() + 1).orElse(1L);
        long version = known.map(model -> model.version() + 1).orElse(1L);
        return write(withNumbers(definition, generation, version));
    }

    /**
     * Replaces a model's definition.
     *
     * @param reset start the model afresh (a new generation) when the change is one its learned state cannot follow
     * @return the definition in force afterwards (the old one when nothing changed)
     * @throws DefinitionRefusedException when the model is not defined, or the change needs a reset not asked for
     */
    public DefinedModel update(ModelDefinition definition, boolean reset) {
        DefinedModel known = catalog.record(definition.name()).filter(model -> !model.deleted())
                .orElseThrow(() -> new DefinitionRefusedException("model '" + definition.name()
                        + "' is not defined; define it with `streamlearn models create`"));
        List<String> changes = known.definition().stateChanges(definition);
        if (changes.isEmpty() && !reset) {
            return known;
        }
        if (!changes.isEmpty() && !reset) {
            throw new DefinitionRefusedException("model '" + definition.name() + "': the change is one its learned "
                    + "state cannot follow (" + String.join("; ", changes) + "). Pass --reset to start the model "
                    + "afresh as generation " + (known.generation() + 1) + " (its learned state is discarded; "
                    + "version numbers go on), or define a model under a new name");
        }
        return write(withNumbers(definition, known.generation() + 1, known.version() + 1));
    }

    /**
     * {@code train --schema}: defines the model, or keeps its definition when it is the same.
     *
     * @throws DefinitionRefusedException when the model is defined differently
     */
    public DefinedModel define(ModelDefinition definition) {
        Optional<DefinedModel> known = catalog.record(definition.name()).filter(model -> !model.deleted());
        return known.isPresent() ? update(definition, false) : create(definition);
    }

    /**
     * Marks a model deleted: trainers stop training it and drop its state, servers stop serving it.
     *
     * @throws DefinitionRefusedException when it is not defined
     */
    public DefinedModel delete(String name) {
        DefinedModel known = catalog.record(name).filter(model -> !model.deleted())
                .orElseThrow(() -> new DefinitionRefusedException("model '" + name + "' is not defined"));
        return write(DefinedModel.deletion(name, known.definition(), known.generation(), known.version() + 1));
    }

    private static DefinedModel withNumbers(ModelDefinition definition, long generation, long version) {
        return DefinedModel.defined(definition.withGeneration(generation).withVersion(version));
    }

    private DefinedModel write(DefinedModel model) {
        try {
            producer.send(new ProducerRecord<>(topic, model.name(), ModelDefinitionCodec.encode(model))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the definition of " + model.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the definition of model '" + model.name() + "' to topic '"
                    + topic + "' on " + settings.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
        }
        catalog.apply(model);
        return model;
    }

    @Override
    public void close() {
        producer.close();
    }
}
