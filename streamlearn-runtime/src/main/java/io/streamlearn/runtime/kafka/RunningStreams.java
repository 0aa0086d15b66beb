package io.streamlearn.runtime.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.streamlearn.runtime.health.PartFailure;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * A started Kafka Streams application as every streamlearn service runs one (the trainer, the drift monitor): Kafka
 * Streams' own meters bound to the process's registry, the whole client shut down when a stream thread fails (its
 * state is exactly-once with the input, so a restart resumes cleanly, while a half-running client would silently
 * stop some partitions), and the consumer group left on a clean close.
 *
 * <p>A client that stopped without being closed is recorded as the process part's failure ({@link #failure()}), once,
 * with the exception that stopped it: in {@code PENDING_ERROR} or {@code ERROR}, or in {@code PENDING_SHUTDOWN} or
 * {@code NOT_RUNNING} while nobody closed it. {@code REBALANCING} is alive: the client waits for partitions or for
 * the brokers and goes on by itself.
 */
public final class RunningStreams implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final PartFailure failure;
    private final String client;
    private volatile boolean closing;

    private RunningStreams(KafkaStreams streams, KafkaStreamsMetrics streamsMetrics, PartFailure failure,
            String client) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.failure = failure;
        this.client = client;
    }

    /**
     * @param service a name for logs and for the process part, e.g. {@code "trainer"}, {@code "drift-monitor"}
     */
    public static RunningStreams start(String service, Topology topology, Properties properties,
            MeterRegistry registry) {
        KafkaStreams streams = new KafkaStreams(topology, properties);
        PartFailure failure = new PartFailure(service, "its state is exactly-once with its input: it restores it and "
                + "resumes from the last commit");
        String client = "the " + service + "'s Kafka Streams client";
        RunningStreams running = new RunningStreams(streams, new KafkaStreamsMetrics(streams), failure, client);
        streams.setUncaughtExceptionHandler(exception -> {
            failure.record(client + " stopped: a stream thread failed", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((state, previous) -> {
            if (state == KafkaStreams.State.PENDING_ERROR || state == KafkaStreams.State.ERROR
                    || (!state.isRunningOrRebalancing() && !running.closing)) {
                failure.record(client + " stopped (state " + previous + " -> " + state + ")", null);
            }
        });
        running.streamsMetrics.bindTo(registry);
        streams.start();
        return running;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Running or rebalancing: the application is alive and will process records. */
    public boolean isAlive() {
        return failure.reason().isEmpty() && streams.state().isRunningOrRebalancing();
    }

    /**
     * Stops the client for a reason found outside it (its group's members disagree on a setting, say): recorded as the
     * part's failure and logged once, then the client is closed. Nothing when the part has failed already.
     *
     * @param why what is wrong and what to do, for the log and {@code /health/live}
     */
    public void fail(String why) {
        if (failure.record(client + " stopped: " + why, null)) {
            close();
        }
    }

    /** The client as a part of its process: failed once it stopped without being closed. */
    public PartFailure failure() {
        return failure;
    }

    /** Kafka Streams' own metrics (thread, task, client), e.g. for benchmarks. */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    @Override
    public void close() {
        closing = true;
        // Leave the group on a clean close, so a restarted or remaining instance takes the partitions over at once
        // instead of after the session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
        streamsMetrics.close();
    }
}
