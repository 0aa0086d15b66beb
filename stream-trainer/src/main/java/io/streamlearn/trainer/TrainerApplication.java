package io.streamlearn.trainer;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamlearn.runtime.health.PartFailure;
import io.streamlearn.runtime.kafka.RunningStreams;
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

    private TrainerApplication(RunningStreams streams) {
        this.streams = streams;
    }

    public static TrainerApplication start(TrainerConfig config, List<ModelDefinition> models, MeterRegistry registry) {
        config.validate();
        config.snapshotSigning().warnIfDisabled("trainer");
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(registry);
        metrics.preRegister(models.stream().map(ModelDefinition::name).toList(),
                List.of(config.eventsTopic(), config.labelsTopic()));
        RunningStreams streams = RunningStreams.start("trainer", TrainerTopology.build(config, models, metrics),
                TrainerTopology.streamsProperties(config), registry);
        LOG.info("trainer {} started on {} for models {} ({})", config.applicationId(), config.bootstrapServers(),
                models.stream().map(ModelDefinition::name).toList(), config.processingGuarantee());
        return new TrainerApplication(streams);
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
        streams.close();
    }
}
