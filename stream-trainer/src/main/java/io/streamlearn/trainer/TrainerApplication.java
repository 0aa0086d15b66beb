package io.streamlearn.trainer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.streamlearn.trainer.kafka.TrainerTopology;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running trainer: the topology in a {@link KafkaStreams} instance, its meters bound to a registry. */
public final class TrainerApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerApplication.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;

    private TrainerApplication(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
    }

    public static TrainerApplication start(TrainerConfig config, List<ModelDefinition> models, MeterRegistry registry) {
        config.validate();
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(registry);
        KafkaStreams streams = new KafkaStreams(TrainerTopology.build(config, models, metrics),
                TrainerTopology.streamsProperties(config));
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread failed; shutting the trainer down", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        LOG.info("trainer {} started on {} for models {} ({})", config.applicationId(), config.bootstrapServers(),
                models.stream().map(ModelDefinition::name).toList(), config.processingGuarantee());
        return new TrainerApplication(streams, streamsMetrics);
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
        return streams.state().isRunningOrRebalancing();
    }

    @Override
    public void close() {
        // Leave the group on a clean close, so a restarted or remaining instance takes the partitions over at once
        // instead of after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
    }
}
