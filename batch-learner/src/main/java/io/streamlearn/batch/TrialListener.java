package io.streamlearn.batch;

/** Told of each tuning trial as it finishes, on the thread that runs the pipeline (e.g. to record it at once). */
@FunctionalInterface
public interface TrialListener {

    void trialFinished(Trial trial);

    static TrialListener none() {
        return trial -> {
        };
    }
}
