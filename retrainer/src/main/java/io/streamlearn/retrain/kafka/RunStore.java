package io.streamlearn.retrain.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.kafka.TopicFollower;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every run on {@code training-runs}, followed from the topic's beginning: what {@code GET /v1/runs} lists on every
 * instance, whichever recorded the run. A final record is never replaced, even by a stray later record of its id.
 */
public final class RunStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);
    static final ObjectMapper JSON = RequestJson.JSON.copy();

    /** Newest first: start time, then id. */
    public static final Comparator<TrainingRun> NEWEST_FIRST = Comparator.comparingLong(TrainingRun::startedAt)
            .thenComparing(TrainingRun::id).reversed();

    private final Map<String, TrainingRun> runs = new ConcurrentHashMap<>();
    private final TopicFollower follower;

    public RunStore(RetrainConfig config) {
        this.follower = new TopicFollower(config.followerSettings(), config.runsTopic(),
                "streamlearn-retrainer-runs", record -> {
                    if (record.value() != null) {
                        decode(record.value()).ifPresent(this::offer);
                    }
                });
    }

    public void start() {
        follower.start();
    }

    public boolean isRunning() {
        return follower.isRunning();
    }

    /** The follower of the runs topic as a part of the process (part {@code retrainer-runs}). */
    public Liveness liveness() {
        return follower.liveness();
    }

    void offer(TrainingRun run) {
        runs.merge(run.id(), run, (held, offered) -> held.status().isFinal() ? held : offered);
    }

    public Optional<TrainingRun> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** @param model {@code null} for every model */
    public List<TrainingRun> list(String model, int limit) {
        return runs.values().stream().filter(run -> model == null || run.model().equals(model)).sorted(NEWEST_FIRST)
                .limit(limit).toList();
    }

    public static byte[] encode(TrainingRun run) {
        try {
            return JSON.writeValueAsBytes(run);
        } catch (IOException e) {
            throw new IllegalStateException("run " + run.id() + " could not be written as JSON", e);
        }
    }

    static Optional<TrainingRun> decode(byte[] value) {
        try {
            return Optional.of(JSON.readValue(value, TrainingRun.class));
        } catch (IOException e) {
            LOG.warn("Skipping an unreadable record on the runs topic: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
