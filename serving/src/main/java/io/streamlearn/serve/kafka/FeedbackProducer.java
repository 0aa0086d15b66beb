package io.streamlearn.serve.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.serve.Feedback;
import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.ServedPrediction;
import io.streamlearn.serve.ServingConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces served predictions to {@code predictions} (the trainer's JSON plus {@code "source": "serving"}), posted
 * labels to {@code labels} and labelled events posted to {@code /learn} to {@code events} (the JSON of docs/topics.md),
 * each keyed by model name. {@code send} may block while the producer fetches metadata or its buffer is full, so every
 * send runs on this class's own thread, behind a bounded queue: a prediction that finds the queue full is dropped and
 * counted rather than slowing requests.
 */
public final class FeedbackProducer implements Feedback, MeterBinder, AutoCloseable {

    public static final String LOGGED = "streamlearn.serve.feedback.logged";
    public static final String DROPPED = "streamlearn.serve.feedback.dropped";
    static final int QUEUE_CAPACITY = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackProducer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventCodec CODEC = new EventCodec();

    private final String predictionsTopic;
    private final String labelsTopic;
    private final String eventsTopic;
    private final double sampleRate;
    private final KafkaProducer<String, byte[]> producer;
    private final ThreadPoolExecutor sender;
    private final AtomicLong logged = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public FeedbackProducer(ServingConfig config) {
        this.predictionsTopic = config.predictionsTopic();
        this.labelsTopic = config.labelsTopic();
        this.eventsTopic = config.eventsTopic();
        this.sampleRate = config.logSampleRate();
        this.producer = new KafkaProducer<>(producerProperties(config));
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                runnable -> {
                    Thread thread = new Thread(runnable, "streamlearn-feedback-producer");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Whether the prediction with this id is logged: a hash of the id against the rate, so the choice is the same on
     * every replica and every retry of a request.
     */
    static boolean sampled(String id, double rate) {
        if (rate >= 1) {
            return true;
        }
        // String.hashCode of similar ids ("e-1", "e-2") are close together; MurmurHash3's 32-bit finalizer (fmix32)
        // spreads them over the whole range before the threshold is applied.
        int h = id.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (h & 0x7fffffff) < rate * 0x80000000L;
    }

    @Override
    public void served(ServedModel model, List<String> ids, List<ServedPrediction> predictions, long timestamp) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (sampled(ids.get(i), sampleRate)) {
                records.add(new ProducerRecord<>(predictionsTopic, model.name(),
                        encode(ids.get(i), model, predictions.get(i), timestamp)));
            }
        }
        if (records.isEmpty()) {
            return;
        }
        try {
            sender.execute(() -> records.forEach(record -> producer.send(record, (metadata, error) -> {
                if (error == null) {
                    logged.incrementAndGet();
                } else {
                    dropped.incrementAndGet();
                    LOG.debug("Served prediction not logged", error);
                }
            })));
        } catch (RejectedExecutionException e) {
            dropped.addAndGet(records.size());
        }
    }

    @Override
    public CompletionStage<Void> labels(String model, List<LabelRecord> labels) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (LabelRecord label : labels) {
            byte[] value = CODEC.write(JSON.createObjectNode().put("id", label.id()).put("model", model)
                    .set("label", label.label()));
            records.add(new ProducerRecord<>(labelsTopic, model, value));
        }
        return send(records);
    }

    @Override
    public CompletionStage<Void> events(String model, List<byte[]> events) {
        return send(events.stream().map(value -> new ProducerRecord<>(eventsTopic, model, value)).toList());
    }

    /** Sends on the feedback thread; completes once the broker has every record. */
    private CompletionStage<Void> send(List<ProducerRecord<String, byte[]>> records) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (ProducerRecord<String, byte[]> record : records) {
            CompletableFuture<Void> acked = new CompletableFuture<>();
            sent.add(acked);
            try {
                sender.execute(() -> producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acked.complete(null);
                    } else {
                        acked.completeExceptionally(error);
                    }
                }));
            } catch (RejectedExecutionException e) {
                acked.completeExceptionally(new IllegalStateException("the feedback queue is full", e));
            }
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder(LOGGED, logged, AtomicLong::get)
                .description("Served predictions written to the predictions topic")
                .register(registry);
        FunctionCounter.builder(DROPPED, dropped, AtomicLong::get)
                .description("Served predictions sampled for logging but not written (queue full or send failed)")
                .register(registry);
    }

    /** Sends what is queued, then closes the producer. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }

    /** The trainer's prediction JSON ({@code PredictionRecord}), with {@code "source": "serving"}. */
    static byte[] encode(String id, ServedModel model, ServedPrediction prediction, long timestamp) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(192);
        try (JsonGenerator out = JSON.getFactory().createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("id", id);
            out.writeStringField("model", model.name());
            out.writeNumberField("version", model.version());
            if (prediction.prediction() instanceof Double value) {
                out.writeNumberField("prediction", value);
            } else {
                out.writeStringField("prediction", String.valueOf(prediction.prediction()));
                out.writeObjectFieldStart("scores");
                for (Map.Entry<String, Double> score : prediction.scores().entrySet()) {
                    out.writeNumberField(score.getKey(), score.getValue());
                }
                out.writeEndObject();
            }
            out.writeNumberField("ts", timestamp);
            out.writeStringField("source", "serving");
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Map<String, Object> producerProperties(ServingConfig config) {
        Map<String, Object> properties = new HashMap<>(config.kafkaProperties());
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "streamlearn-feedback-producer");
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return properties;
    }
}
