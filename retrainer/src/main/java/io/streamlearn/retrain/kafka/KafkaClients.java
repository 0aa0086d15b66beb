package io.streamlearn.retrain.kafka;

import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.runtime.kafka.CommittedReader;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The retrainer's client properties: the configured {@code kafka.*} ones with those its guarantees rely on. */
final class KafkaClients {

    private KafkaClients() {
    }

    /** A consumer that reads committed records only and commits nothing itself. */
    static Map<String, Object> consumer(RetrainConfig config, String clientId) {
        return CommittedReader.consumerProperties(config.kafkaProperties(), config.bootstrapServers(), clientId);
    }

    /** A producer that waits for every replica. */
    static Map<String, Object> producer(RetrainConfig config, String clientId) {
        Map<String, Object> properties = new HashMap<>(config.kafkaProperties());
        properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return properties;
    }

    /**
     * A transactional producer for the run records and promotions, with Kafka's default record limits: models and
     * training references are written in chunks ({@code snapshot.chunk.bytes}) that fit them. Each process
     * gets its own transactional id: runs of one model happen on one instance at a time, so there is no zombie to
     * fence, and a fixed id would fence a second instance on the same host.
     */
    static Map<String, Object> transactionalProducer(RetrainConfig config) {
        Map<String, Object> properties = producer(config, "streamlearn-retrainer-output");
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "streamlearn-retrainer-" + UUID.randomUUID());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return properties;
    }
}
