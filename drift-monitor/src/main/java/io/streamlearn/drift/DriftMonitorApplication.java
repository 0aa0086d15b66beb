package io.streamlearn.drift;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.drift.kafka.DriftMonitorTopology;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.runtime.health.PartFailure;
import io.streamlearn.runtime.kafka.RunningStreams;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running drift monitor: the topology in a {@link KafkaStreams} instance, its meters bound to a registry. */
public final class DriftMonitorApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitorApplication.class);

    private final RunningStreams streams;
    private final LatestReports reports;

    private DriftMonitorApplication(RunningStreams streams, LatestReports reports) {
        this.streams = streams;
        this.reports = reports;
    }

    /** A monitor of any model (up to {@code drift.max.models}) or of those named in {@code drift.models}. */
    public static DriftMonitorApplication start(DriftMonitorConfig config, MeterRegistry registry) {
        return start(config, new ModelCatalog(), registry);
    }

    /**
     * A monitor that also follows the models {@code catalog} defines (the definitions topic): while any is defined,
     * records of undefined models are counted as {@code unknown_model}, and a deleted model is forgotten.
     */
    public static DriftMonitorApplication start(DriftMonitorConfig config, ModelCatalog catalog,
            MeterRegistry registry) {
        config.validate();
        config.snapshotSigning().warnIfDisabled("drift monitor");
        DriftMetrics metrics = new DriftMetrics();
        metrics.bindTo(registry);
        metrics.declareModels(config.declaredModels());
        LatestReports reports = new LatestReports();
        RunningStreams streams = RunningStreams.start("drift-monitor",
                DriftMonitorTopology.build(config, catalog, metrics, reports),
                DriftMonitorTopology.streamsProperties(config),
                registry);
        LOG.info("drift monitor {} started on {}, reading {} ({})", config.applicationId(), config.bootstrapServers(),
                config.eventsTopic(), config.processingGuarantee());
        return new DriftMonitorApplication(streams, reports);
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
        return streams.isAlive();
    }

    /** The monitor's Kafka Streams client as a part of its process (part {@code drift-monitor}). */
    public PartFailure failure() {
        return streams.failure();
    }

    @Override
    public void close() {
        streams.close();
    }
}
