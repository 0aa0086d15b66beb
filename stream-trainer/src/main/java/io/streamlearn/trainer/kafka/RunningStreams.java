package io.streamlearn.trainer.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started Kafka Streams application as every streamlearn service runs one (the trainer, the drift monitor): Kafka
 * Streams' own meters bound to the process's registry, the whole client shut down when a stream thread fails (its
 * state is exactly-once with the input, so a restart resumes cleanly, while a half-running client would silently
 * stop some partitions), and the consumer group left on a clean close.
 */
public final class RunningStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;

    private RunningStreams(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
    }

    /** @param service a name for logs, e.g. {@code "trainer"} */
    public static RunningStreams start(String service, Topology topology, Properties properties,
            MeterRegistry registry) {
        KafkaStreams streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread failed; shutting the {} down", service, exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        return new RunningStreams(streams, streamsMetrics);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Running or rebalancing: the application is alive and will process records. */
    public boolean isAlive() {
        return streams.state().isRunningOrRebalancing();
    }

    /** Kafka Streams' own metrics (thread, task, client), e.g. for benchmarks. */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    @Override
    public void close() {
        // Leave the group on a clean close, so a restarted or remaining instance takes the partitions over at once
        // instead of after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        streamsMetrics.close();
    }
}
