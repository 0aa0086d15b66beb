package io.streamlearn.trainer;

import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamlearn.runtime.health.PartFailure;
import io.streamlearn.runtime.kafka.RunningStreams;
import io.streamlearn.trainer.kafka.ShardingAgreement;
import io.streamlearn.trainer.kafka.TrainerTopics;
import io.streamlearn.trainer.kafka.TrainerTopology;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running trainer: the topology in a {@link KafkaStreams} instance, its meters bound to a registry. */
public final class TrainerApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerApplication.class);

    private final RunningStreams streams;
    private final ShardingAgreement agreement;

    private TrainerApplication(RunningStreams streams, ShardingAgreement agreement) {
        this.streams = streams;
        this.agreement = agreement;
    }

    /** A trainer of a fixed set of models (embedded uses, tests and benchmarks). */
    public static TrainerApplication start(TrainerConfig config, List<ModelDefinition> models, MeterRegistry registry) {
        return start(config, ModelCatalog.of(models), registry);
    }

    /**
     * A trainer of the models {@code catalog} defines, which may change while it runs: a model defined later starts
     * training with its first event, a deleted one stops (the definitions topic, {@code DefinitionFollower}).
     */
    public static TrainerApplication start(TrainerConfig config, ModelCatalog catalog, MeterRegistry registry) {
        config.validate();
        config.snapshotSigning().warnIfDisabled("trainer");
        TrainerTopics.ensureShardTopics(config);
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(registry);
        metrics.preRegister(catalog.definitions().stream().map(ModelDefinition::name).toList(),
                List.of(config.eventsTopic(), config.labelsTopic()));
        RunningStreams streams = RunningStreams.start("trainer", TrainerTopology.build(config, catalog, metrics),
                TrainerTopology.streamsProperties(config), registry);
        LOG.info("trainer {} started on {} for models {} ({})", config.applicationId(), config.bootstrapServers(),
                catalog.definitions().stream().map(ModelDefinition::name).sorted().toList(),
                config.processingGuarantee());
        return new TrainerApplication(streams, ShardingAgreement.watch(config, streams::fail));
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Kafka Streams' own metrics (thread, task, client), e.g. for benchmarks. */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    /** Running or rebalancing: the trainer is alive and will process records. */
    public boolean isAlive() {
        return streams.isAlive();
    }

    /** The trainer's Kafka Streams client as a part of its process (part {@code trainer}). */
    public PartFailure failure() {
        return streams.failure();
    }

    @Override
    public void close() {
        agreement.close();
        streams.close();
    }
}
