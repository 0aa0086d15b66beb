package io.streamlearn.trainer.model;

/** Receives the duration of each predict and learn step, for latency metrics. */
public interface StepTimes {

    StepTimes IGNORED = new StepTimes() {
        @Override
        public void predicted(long nanos) {
        }

        @Override
        public void learned(long nanos) {
        }
    };

    void predicted(long nanos);

    void learned(long nanos);
}
