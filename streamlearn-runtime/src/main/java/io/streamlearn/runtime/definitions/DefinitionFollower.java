package io.streamlearn.runtime.definitions;

import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinitionCodec;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.Readiness;
import io.streamlearn.runtime.kafka.FollowerSettings;
import io.streamlearn.runtime.kafka.TopicFollower;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ModelCatalog} equal to the definitions topic: every service of a deployment follows it, so a model
 * defined with {@code streamlearn models create} is trained, monitored and served without a restart. A record that is
 * not a valid definition is skipped and counted ({@link #skippedCount()}); the model keeps its previous definition.
 */
public final class DefinitionFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionFollower.class);
    /** How long a service waits at start for the definitions committed before it, before it goes on without. */
    public static final Duration DEFAULT_CATCH_UP = Duration.ofSeconds(60);

    private final ModelCatalog catalog;
    private final TopicFollower follower;
    private final String topic;

    public DefinitionFollower(FollowerSettings settings, String topic, String name, ModelCatalog catalog) {
        this.catalog = catalog;
        this.topic = topic;
        this.follower = new TopicFollower(settings, topic, name, this::apply);
    }

    /** Starts following without waiting: for a service that serves what it has while Kafka is away. */
    public DefinitionFollower start() {
        follower.start();
        return this;
    }

    /**
     * Starts following and waits until the definitions committed before now are in the catalog.
     *
     * @throws IllegalStateException when they are not read within {@code timeout} (Kafka unreachable)
     */
    public DefinitionFollower startAndCatchUp(Duration timeout) {
        follower.start();
        try {
            if (!follower.awaitCaughtUp(timeout)) {
                throw new IllegalStateException("the model definitions on topic '" + topic + "' were not read within "
                        + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the model definitions", e);
        }
        return this;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        DefinedModel read = ModelDefinitionCodec.decode(record.key(), record.value());
        if (read.deleted()) {
            // A deletion keeps the name's last definition and generation, so that the name defined again starts afresh.
            DefinedModel previous = catalog.record(read.name()).orElse(null);
            long generation = Math.max(read.generation(), previous == null ? 0 : previous.generation());
            long version = Math.max(read.version(), previous == null ? 0 : previous.version());
            read = DefinedModel.deletion(read.name(), previous == null ? null : previous.definition(), generation,
                    version);
        }
        catalog.apply(read);
        LOG.info("Model '{}' {} (generation {}, version {})", read.name(), read.deleted() ? "deleted" : "defined",
                read.generation(), read.version());
    }

    /** Definition records that could not be applied (invalid JSON, schema or learner), since start. */
    public long skippedCount() {
        return follower.skippedCount();
    }

    public Liveness liveness() {
        return follower.liveness();
    }

    public Readiness readiness() {
        return follower.readiness();
    }

    @Override
    public void close() {
        follower.close();
    }
}
