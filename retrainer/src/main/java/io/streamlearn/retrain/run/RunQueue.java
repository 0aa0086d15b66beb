package io.streamlearn.retrain.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * At most one run per model at a time. A request for a model with no run in progress starts one; requests that arrive
 * during a run wait, and when it ends they all start one following run together (its trigger lists them all), however
 * many there were. Each request's callback runs once the run that answers it is recorded: the Kafka adapter commits
 * the request's offset there.
 */
public final class RunQueue {

    /** Runs one run for a model and its trigger, recording it; on a thread of the executor. */
    @FunctionalInterface
    public interface Runner {
        TrainingRun run(String model, List<RetrainRequest> trigger);
    }

    private record Waiting(RetrainRequest request, Runnable recorded) {
    }

    private final Executor executor;
    private final Runner runner;
    private final RunObserver observer;
    /** Models with a run in progress, and the requests waiting for the run after it. */
    private final Map<String, List<Waiting>> inProgress = new HashMap<>();

    public RunQueue(Executor executor, Runner runner, RunObserver observer) {
        this.executor = executor;
        this.runner = runner;
        this.observer = observer;
    }

    /** @param recorded run once the run answering this request has been recorded */
    public void submit(RetrainRequest request, Runnable recorded) {
        String model = request.model();
        synchronized (inProgress) {
            List<Waiting> waiting = inProgress.get(model);
            if (waiting != null) {
                waiting.add(new Waiting(request, recorded));
                observer.coalesced(model);
                return;
            }
            inProgress.put(model, new ArrayList<>());
        }
        start(model, List.of(new Waiting(request, recorded)));
    }

    /** Whether a run of {@code model} is in progress on this instance. */
    public boolean isRunning(String model) {
        synchronized (inProgress) {
            return inProgress.containsKey(model);
        }
    }

    private void start(String model, List<Waiting> batch) {
        try {
            executor.execute(() -> run(model, batch));
        } catch (RejectedExecutionException e) {
            // Closing: the requests stay uncommitted, and the partition's next owner answers them.
            synchronized (inProgress) {
                inProgress.remove(model);
            }
        }
    }

    /**
     * A runner records every failure of a run as a failed run and returns. What escapes it (an {@code Error}, out of
     * memory) leaves the batch unanswered and the model in progress: the requests stay uncommitted, so the instance
     * that next owns their partition (after this process is restarted: it reports itself not live) answers them again.
     */
    private void run(String model, List<Waiting> batch) {
        runner.run(model, batch.stream().map(Waiting::request).toList());
        batch.forEach(waiting -> waiting.recorded().run());
        next(model);
    }

    private void next(String model) {
        List<Waiting> following;
        synchronized (inProgress) {
            following = inProgress.get(model);
            if (following.isEmpty()) {
                inProgress.remove(model);
                return;
            }
            inProgress.put(model, new ArrayList<>());
        }
        start(model, List.copyOf(following));
    }
}
