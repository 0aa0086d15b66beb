package io.streamlearn.retrain.run;

/** Told about runs as they happen, on the run's thread: the metrics' view of the service. */
public interface RunObserver {

    RunObserver NONE = new RunObserver() {
    };

    /** A request arrived while a run of its model was in progress; a following run will answer it. */
    default void coalesced(String model) {
    }

    /**
     * @param result what training reported, or {@code null} when the run failed before it
     */
    default void finished(TrainingRun run, TrainingResult result) {
    }
}
