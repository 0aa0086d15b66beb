package io.streamlearn.retrain.kafka;

import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.run.RetrainRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes the schedule's and the admin route's requests onto {@code retrain-requests}, keyed by model like the drift
 * monitor's, so the instance that owns the model's partition answers them with the same one-run-at-a-time guarantee.
 */
public final class RequestProducer implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public RequestProducer(RetrainConfig config) {
        this.topic = config.requestsTopic();
        this.producer = new KafkaProducer<>(KafkaClients.producer(config, "streamlearn-retrainer-requests"));
    }

    /** May block while the producer fetches metadata: call it off event loops. */
    public CompletionStage<RecordMetadata> send(RetrainRequest request) {
        CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, null, request.requestedAt(), request.model(),
                RequestJson.encode(request)), (metadata, error) -> {
                    if (error != null) {
                        written.completeExceptionally(error);
                    } else {
                        written.complete(metadata);
                    }
                });
        return written;
    }

    @Override
    public void close() {
        producer.close();
    }
}
