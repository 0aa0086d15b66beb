package io.streamlearn.cli.replay;

import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.EventCodec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces a dataset's rows to the {@code events} topic as any Kafka producer would: JSON values keyed by model name,
 * ids {@code <model>-<row>}. Labels ride inline, or with {@code labelDelay > 0} go to {@code labels} that many events
 * later, the way ground truth arrives in production.
 */
public final class EventReplayer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec = new EventCodec();
    private final ReplayOptions options;
    private final AtomicLong produced = new AtomicLong();

    /** Where and how to replay. {@code rate} is events per second, 0 for as fast as possible. */
    public record ReplayOptions(String eventsTopic, String labelsTopic, String model, double rate, int labelDelay) {
    }

    public EventReplayer(String bootstrapServers, ReplayOptions options) {
        this(bootstrapServers, Map.of(), options);
    }

    /**
     * @param kafkaProperties producer properties (security, timeouts) over the replayer's own, as {@code kafka.*}
     *                        settings without the prefix
     */
    public EventReplayer(String bootstrapServers, Map<String, String> kafkaProperties, ReplayOptions options) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.putAll(kafkaProperties);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
        this.options = options;
    }

    /** Events produced so far (including ones still in flight). */
    public long produced() {
        return produced.get();
    }

    /**
     * Sends every row, paced to the rate, and waits until the broker has acknowledged all of them.
     *
     * @throws InterruptedException when the thread is interrupted: the replay stops at the next row
     */
    public void replay(Dataset dataset, LongSupplier clock) throws InterruptedException {
        Deque<Integer> unlabelled = new ArrayDeque<>();
        long start = System.nanoTime();
        for (int row = 0; row < dataset.rows().size(); row++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("replay stopped before row " + row);
            }
            pace(start, row);
            LabeledRow data = dataset.rows().get(row);
            boolean delayLabel = options.labelDelay() > 0;
            LabeledRow sent = delayLabel ? new LabeledRow(data.features(), null) : data;
            producer.send(new ProducerRecord<>(options.eventsTopic(), options.model(),
                    codec.encodeEvent(id(row), clock.getAsLong(), options.model(), sent)));
            produced.incrementAndGet();
            if (delayLabel && data.label() != null) {
                unlabelled.addLast(row);
                if (unlabelled.size() > options.labelDelay()) {
                    sendLabel(dataset, unlabelled.removeFirst());
                }
            }
        }
        while (!unlabelled.isEmpty()) {
            sendLabel(dataset, unlabelled.removeFirst());
        }
        producer.flush();
    }

    private void sendLabel(Dataset dataset, int row) {
        producer.send(new ProducerRecord<>(options.labelsTopic(), options.model(),
                codec.encodeLabel(id(row), options.model(), dataset.rows().get(row).label())));
    }

    private void pace(long startNanos, int row) throws InterruptedException {
        if (options.rate() <= 0) {
            return;
        }
        long due = startNanos + (long) (row * 1e9 / options.rate());
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    public String id(int row) {
        return options.model() + "-" + row;
    }

    @Override
    public void close() {
        producer.close();
    }
}
