package io.streamlearn.retrain.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class RunQueueTest {

    /** Runs queued tasks only when told, so a run is "in progress" between its submission and {@link #runNext()}. */
    private static final class StepExecutor implements java.util.concurrent.Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        boolean runNext() {
            Runnable task = tasks.poll();
            if (task != null) {
                task.run();
            }
            return task != null;
        }
    }

    private final StepExecutor executor = new StepExecutor();
    private final List<List<String>> runs = new ArrayList<>();
    private final List<String> recorded = new ArrayList<>();
    private final List<String> coalesced = new ArrayList<>();
    private final RunQueue queue = new RunQueue(executor, (model, trigger) -> {
        runs.add(trigger.stream().map(r -> model + ":" + r.reason()).toList());
        return null;
    }, new RunObserver() {
        @Override
        public void coalesced(String model) {
            coalesced.add(model);
        }
    });

    private void submit(String model, String reason) {
        queue.submit(RetrainRequest.of(model, reason, 0), () -> recorded.add(model + ":" + reason));
    }

    @Test
    void requestsDuringARunBecomeOneFollowingRunThatListsThemAll() {
        submit("m", "drift");
        assertThat(queue.isRunning("m")).isTrue();
        submit("m", "admin");
        submit("m", "schedule");
        submit("m", "drift2");
        assertThat(coalesced).containsExactly("m", "m", "m");

        executor.runNext();
        assertThat(runs).containsExactly(List.of("m:drift"));
        assertThat(recorded).containsExactly("m:drift");
        executor.runNext();
        assertThat(runs.get(1)).containsExactly("m:admin", "m:schedule", "m:drift2");
        assertThat(recorded).containsExactly("m:drift", "m:admin", "m:schedule", "m:drift2");
        assertThat(executor.runNext()).as("no third run").isFalse();
        assertThat(queue.isRunning("m")).isFalse();
    }

    @Test
    void modelsRunIndependently() {
        submit("a", "drift");
        submit("b", "drift");
        assertThat(coalesced).isEmpty();
        executor.runNext();
        executor.runNext();
        assertThat(runs).containsExactly(List.of("a:drift"), List.of("b:drift"));
    }

    @Test
    void aRequestAfterARunEndedStartsANewRun() {
        submit("m", "drift");
        executor.runNext();
        submit("m", "admin");
        assertThat(coalesced).isEmpty();
        executor.runNext();
        assertThat(runs).containsExactly(List.of("m:drift"), List.of("m:admin"));
    }

    /** The process is marked not live and restarted; the partition's next owner answers the request again. */
    @Test
    void aRunThatEscapesWithAnErrorLeavesItsRequestsUnanswered() {
        RunQueue dying = new RunQueue(executor, (model, trigger) -> {
            throw new OutOfMemoryError("simulated");
        }, RunObserver.NONE);
        dying.submit(RetrainRequest.of("m", "drift", 0), () -> recorded.add("m:drift"));

        assertThatThrownBy(executor::runNext).isInstanceOf(OutOfMemoryError.class);
        assertThat(recorded).isEmpty();
        assertThat(dying.isRunning("m")).isTrue();
        dying.submit(RetrainRequest.of("m", "admin", 0), () -> recorded.add("m:admin"));
        assertThat(executor.runNext()).as("no run after a dead one").isFalse();
    }
}
