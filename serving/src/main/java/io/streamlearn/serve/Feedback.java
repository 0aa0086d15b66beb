package io.streamlearn.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where served predictions and the ground truth posted for them go, so the trainer's label join and the drift monitor
 * see served traffic too.
 */
public interface Feedback {

    /** A label for the prediction or event with this id. */
    record LabelRecord(String id, JsonNode label) {
    }

    /**
     * Logs served predictions, one per id, without blocking the caller: an event loop calls it. Logging may sample
     * and, under overload, drop; it never fails the request.
     */
    void served(ServedModel model, List<String> ids, List<ServedPrediction> predictions, long timestamp);

    /** Completes once every label is stored. */
    CompletionStage<Void> labels(String model, List<LabelRecord> labels);

    /** Labelled events for the trainer to learn from (the event JSON of docs/topics.md); completes once stored. */
    CompletionStage<Void> events(String model, List<byte[]> events);

    /** No Kafka: nothing is logged and labels cannot be taken. */
    static Feedback none() {
        return new Feedback() {
            @Override
            public void served(ServedModel model, List<String> ids, List<ServedPrediction> predictions,
                    long timestamp) {
            }

            @Override
            public CompletionStage<Void> labels(String model, List<LabelRecord> labels) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("this server has no Kafka cluster to send labels to"));
            }

            @Override
            public CompletionStage<Void> events(String model, List<byte[]> events) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("this server has no Kafka cluster to send events to"));
            }
        };
    }
}
