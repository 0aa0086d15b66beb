package io.streamlearn.drift;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.streamlearn.drift.kafka.DriftMonitorTopology;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.LatestReports;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running drift monitor: the topology in a {@link KafkaStreams} instance, its meters bound to a registry. */
public final class DriftMonitorApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitorApplication.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final LatestReports reports;

    private DriftMonitorApplication(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, LatestReports reports) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.reports = reports;
    }

    public static DriftMonitorApplication start(DriftMonitorConfig config, MeterRegistry registry) {
        config.validate();
        DriftMetrics metrics = new DriftMetrics();
        metrics.bindTo(registry);
        LatestReports reports = new LatestReports();
        KafkaStreams streams = new KafkaStreams(DriftMonitorTopology.build(config, metrics, reports),
                DriftMonitorTopology.streamsProperties(config));
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread failed; shutting the drift monitor down", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        LOG.info("drift monitor {} started on {}, reading {} ({})", config.applicationId(), config.bootstrapServers(),
                config.eventsTopic(), config.processingGuarantee());
        return new DriftMonitorApplication(streams, streamsMetrics, reports);
    }

    /** The latest window report of each model this instance monitors. */
    public LatestReports reports() {
        return reports;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Running or rebalancing: the monitor is alive and will process records. */
    public boolean isAlive() {
        return streams.state().isRunningOrRebalancing();
    }

    @Override
    public void close() {
        // Leave the group on a clean close, so another instance takes the partitions over at once.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
    }
}
