package io.streamlearn.runtime.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One produce request in flight per broker connection for every transactional producer of the project (the Streams
 * clients under exactly-once, the retrainer's output), unless the user sets {@code max.in.flight.requests.per.connection}
 * under {@code kafka.}.
 *
 * <p>Why: with transactions version 2 (Kafka 4.x brokers), the first produce of a new transaction can be answered
 * {@code CONCURRENT_TRANSACTIONS} while the coordinator still completes the previous one. With five requests in
 * flight, a later batch of the same partition then reaches the leader before the retried first one, is refused with
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER}, and the client (4.4.0) sometimes never recovers: every task of the stream thread
 * stopped for good in 1 of 5 runs of 50 models over 12 partitions (docs/reliability.md, "Exactly-once producers").
 * With one request in flight the retried batch goes first; no out-of-order sequence was seen in 10 runs since.
 */
public final class TransactionalProducers {

    /** The setting this class applies. */
    public static final int MAX_IN_FLIGHT = 1;

    private TransactionalProducers() {
    }

    /**
     * For a Kafka Streams client's properties, before the user's {@code kafka.*} ones are added (they may override it);
     * applied only under exactly-once, where its producers are transactional.
     */
    public static void orderStreamsProducer(Properties streamsProperties) {
        if (StreamsConfig.EXACTLY_ONCE_V2.equals(streamsProperties.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            streamsProperties.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION),
                    MAX_IN_FLIGHT);
        }
    }

    /** For a transactional producer's own properties, unless they already set it. */
    public static void order(Map<String, Object> producerProperties) {
        producerProperties.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, MAX_IN_FLIGHT);
    }
}
