package io.streamlearn.serve.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.Readiness;
import io.streamlearn.runtime.kafka.KafkaAdmin;
import io.streamlearn.runtime.kafka.TopicFollower;
import io.streamlearn.serve.ModelPins;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.ServingConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins kept in the compacted {@code model-pins} topic (key = model name, value {@code {"model", "version"}}, a
 * tombstone to unpin), so that every replica, and every restart, serves the same pinned versions. Each server
 * follows the topic from its beginning and applies each record to its registry; a pin made through this server
 * completes once the follower has applied the written record, so the caller reads its own write and the order of
 * pins is the topic's order on every replica.
 */
public final class PinTopic implements ModelPins, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PinTopic.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long APPLY_TIMEOUT_SECONDS = 10;

    private record Waiter(TopicPartition partition, long offset, CompletableFuture<Void> applied) {
    }

    private final String topic;
    private final ServingConfig config;
    private final ModelRegistry models;
    private final KafkaProducer<String, byte[]> producer;
    private final TopicFollower follower;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    /** {@code send} may block while it fetches metadata; callers are event loops, so it runs here. */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "streamlearn-pin-writer");
        thread.setDaemon(true);
        return thread;
    });

    public PinTopic(ServingConfig config, ModelRegistry models) {
        this.topic = config.pinsTopic();
        this.config = config;
        this.models = models;
        this.producer = new KafkaProducer<>(producerProperties(config));
        this.follower = new TopicFollower(config.followerSettings(), topic, "streamlearn-pin-follower", this::apply);
        this.follower.addProgressListener(this::completeApplied);
    }

    /**
     * Creates the topic when missing (compacted, one partition: pins are few and their order matters), in the
     * background, and follows it, waiting for it to exist.
     */
    public void start() {
        sender.execute(this::createTopicIfMissing);
        follower.start();
    }

    public Readiness readiness() {
        return follower.readiness();
    }

    public Liveness liveness() {
        return follower.liveness();
    }

    @Override
    public CompletionStage<Void> pin(String model, long version) {
        byte[] value = JSON.createObjectNode().put("model", model).put("version", version).toString().getBytes();
        return write(model, value);
    }

    @Override
    public CompletionStage<Void> unpin(String model) {
        return write(model, null);
    }

    @Override
    public void close() {
        follower.close();
        sender.shutdownNow();
        producer.close();
        waiters.forEach(waiter -> waiter.applied().completeExceptionally(
                new IllegalStateException("the server is closing")));
    }

    private CompletionStage<Void> write(String model, byte[] value) {
        CompletableFuture<Void> applied = new CompletableFuture<>();
        sender.execute(() -> {
            try {
                producer.send(new ProducerRecord<>(topic, model, value), (metadata, error) -> {
                    if (error != null) {
                        applied.completeExceptionally(error);
                        return;
                    }
                    waiters.add(new Waiter(new TopicPartition(metadata.topic(), metadata.partition()),
                            metadata.offset(), applied));
                    completeApplied();
                });
            } catch (RuntimeException e) {
                applied.completeExceptionally(e);
            }
        });
        return applied.orTimeout(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private void completeApplied() {
        waiters.removeIf(waiter -> {
            if (follower.nextOffset(waiter.partition()) > waiter.offset()) {
                waiter.applied().complete(null);
                return true;
            }
            return waiter.applied().isDone();
        });
    }

    /** On the follower's thread. A record that is not a pin is logged and skipped: the pins must keep following. */
    private void apply(ConsumerRecord<String, byte[]> record) {
        String model = record.key();
        if (model == null) {
            LOG.warn("Skipping pin record without key at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        if (record.value() == null) {
            models.unpin(model);
            LOG.info("Model '{}' follows its newest version", model);
            return;
        }
        parseVersion(record).ifPresentOrElse(version -> {
            models.pin(model, version);
            LOG.info("Model '{}' pinned to version {}", model, version);
        }, () -> LOG.warn("Skipping invalid pin record for '{}' at {}-{}@{}", model, record.topic(),
                record.partition(), record.offset()));
    }

    private static Optional<Long> parseVersion(ConsumerRecord<String, byte[]> record) {
        try {
            JsonNode pin = JSON.readTree(record.value());
            JsonNode version = pin == null ? null : pin.get("version");
            if (version == null || !version.canConvertToLong() || !version.isIntegralNumber()
                    || !record.key().equals(pin.path("model").asText(record.key()))) {
                return Optional.empty();
            }
            return Optional.of(version.longValue());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void createTopicIfMissing() {
        Admin admin = KafkaAdmin.create(config.bootstrapServers(), config.kafkaProperties());
        try {
            NewTopic pins = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(pins)).all().get(30, TimeUnit.SECONDS);
            LOG.info("Created the compacted pins topic '{}'", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("Could not create the pins topic '{}'; following it once it exists: {}", topic,
                        e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.warn("Could not create the pins topic '{}' in time; following it once it exists", topic);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static Map<String, Object> producerProperties(ServingConfig config) {
        Map<String, Object> properties = new HashMap<>(config.kafkaProperties());
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "streamlearn-pin-writer");
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return properties;
    }
}
