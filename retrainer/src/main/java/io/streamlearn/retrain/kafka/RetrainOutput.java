package io.streamlearn.retrain.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.model.ModelKeys;
import io.streamlearn.core.model.ModelSnapshot;
import io.streamlearn.core.model.ModelSnapshotCodec;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.core.model.TrainingReferenceCodec;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.run.Champions;
import io.streamlearn.retrain.run.RunPorts.Promotion;
import io.streamlearn.retrain.run.RunPorts.RunLog;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.runtime.kafka.ChunkedRecords;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Everything the retrainer writes, each write a Kafka transaction: a run record on {@code training-runs}; or a
 * promotion, which is the new batch version on {@code models} (key {@code <model>@batch}), its pin on
 * {@code model-pins} (serving's {@code {"model","version"}}), its training window's feature values on
 * {@code drift-references} (key {@code <model>}) and the run's final record together, so serving never sees a pin
 * without its model, the drift monitor never a version without its reference, and a promoted run is never recorded
 * without its version (serving and the monitor read {@code read_committed}). Writes are serialised: one producer, one transaction at a time.
 *
 * <p>The model and the training reference are written chunked ({@link BlobChunking}: compressed chunks of at most
 * {@code snapshot.chunk.bytes}, then a manifest under the key), each chunk sent to its key's partition, so either fits
 * Kafka's default record limits whatever its size; the model's manifest carries its metadata, the reference's none.
 * The model is signed with {@value SnapshotSigning#KEY} when it is set, as the trainer signs its snapshots, so that
 * servers holding the key serve it.
 */
public final class RetrainOutput implements RunLog, Promotion, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RetrainConfig config;
    private final BlobChunking chunking;
    private final SnapshotSigning signing;
    /** Created at the first write: an instance that never runs holds no transactional producer. */
    private KafkaProducer<String, byte[]> producer;
    public RetrainOutput(RetrainConfig config) {
        this.config = config;
        this.chunking = config.chunking();
        this.signing = config.snapshotSigning();
    }

    @Override
    public synchronized void record(TrainingRun run) {
        inTransaction(() -> producer.send(runRecord(run)));
    }

    @Override
    public void publish(ModelSnapshot challenger, TrainingRun promoted, Optional<TrainingReference> reference) {
        String model = challenger.metadata().model();
        String key = ModelKeys.batch(model);
        List<BlobChunking.Part> snapshot = ModelSnapshotCodec.toRecords(key,
                signing.sign(ModelSnapshotCodec.encode(challenger)), chunking);
        byte[] pin = JSON.createObjectNode().put("model", model).put("version", challenger.metadata().version())
                .toString().getBytes(StandardCharsets.UTF_8);
        List<BlobChunking.Part> rows = reference.map(r -> chunking.split(model, TrainingReferenceCodec.encode(r),
                new byte[0])).orElse(List.of());
        synchronized (this) {
            inTransaction(() -> {
                send(config.driftReferencesTopic(), rows);
                send(config.modelsTopic(), snapshot);
                producer.send(new ProducerRecord<>(config.pinsTopic(), model, pin));
                producer.send(runRecord(promoted));
            });
        }
    }

    /** A blob's records, each to the partition of the blob's key ({@link ChunkedRecords#partition}). */
    private void send(String topic, List<BlobChunking.Part> parts) {
        if (!parts.isEmpty()) {
            ChunkedRecords.producerRecords(topic, producer.partitionsFor(topic).size(), parts).forEach(producer::send);
        }
    }

    private ProducerRecord<String, byte[]> runRecord(TrainingRun run) {
        return new ProducerRecord<>(config.runsTopic(), run.id(), RunStore.encode(run));
    }

    private void inTransaction(Runnable sends) {
        if (producer == null) {
            producer = new KafkaProducer<>(KafkaClients.transactionalProducer(config));
            producer.initTransactions();
        }
        producer.beginTransaction();
        try {
            sends.run();
            producer.flush();
            producer.commitTransaction();
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // A fatal producer error (fenced, authorization) cannot abort; the caller sees the first failure.
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
