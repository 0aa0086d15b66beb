package io.streamlearn.serve;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where operators pin a model to a version and unpin it. A stage completes once the change is applied to this
 * server's {@link ModelRegistry}; a durable implementation also makes every other replica apply it.
 */
public interface ModelPins {

    CompletionStage<Void> pin(String model, long version);

    CompletionStage<Void> unpin(String model);

    /** Pins kept in this process only: for a server without Kafka (tests, embedding). */
    static ModelPins local(ModelRegistry models) {
        return new ModelPins() {
            @Override
            public CompletionStage<Void> pin(String model, long version) {
                models.pin(model, version);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> unpin(String model) {
                models.unpin(model);
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
