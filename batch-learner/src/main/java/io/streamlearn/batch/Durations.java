package io.streamlearn.batch;

/** Wall times of a run's stages in milliseconds; {@code total} covers the whole {@link RetrainPipeline#run}. */
public record Durations(long searchMillis, long crossValidationMillis, long fitMillis, long evaluationMillis,
        long totalMillis) {
}
