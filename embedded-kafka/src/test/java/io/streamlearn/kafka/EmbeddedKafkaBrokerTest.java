package io.streamlearn.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void closeBroker() {
        broker.close();
    }

    @Test
    void deliversProducedRecordsToAConsumer() throws Exception {
        broker.createTopic("round-trip", 3, Map.of());
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("round-trip", "key-" + i, "value-" + i)).get();
            }
        }

        List<String> values = consume("round-trip", "read_uncommitted", seen -> seen.size() >= 10);

        assertThat(values).containsExactlyInAnyOrder(
                "value-0", "value-1", "value-2", "value-3", "value-4",
                "value-5", "value-6", "value-7", "value-8", "value-9");
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsButNotAbortedOnes() {
        broker.createTopic("transactions", 1, Map.of());
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-1"))) {
            producer.initTransactions();
            sendInTransaction(producer, List.of("committed-1", "committed-2"));
            producer.commitTransaction();
            sendInTransaction(producer, List.of("aborted-1", "aborted-2"));
            producer.abortTransaction();
            sendInTransaction(producer, List.of("committed-3"));
            producer.commitTransaction();
        }

        List<String> values = consume("transactions", "read_committed", seen -> seen.contains("committed-3"));

        assertThat(values).containsExactly("committed-1", "committed-2", "committed-3");
    }

    /** Kafka's default limits, as real and managed clusters keep them: tests meet what production does. */
    @Test
    void refusesRecordsLargerThanKafkasDefaultLimitOfOneMebibyte() throws Exception {
        broker.createTopic("large", 1, Map.of());
        String large = "x".repeat(2 * 1024 * 1024);
        try (KafkaProducer<String, String> producer = producer(
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(16 * 1024 * 1024)))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("large", "key", large)).get())
                    .hasCauseInstanceOf(RecordTooLargeException.class);
            producer.send(new ProducerRecord<>("large", "key", "x".repeat(1000 * 1024))).get();
        }

        List<String> values = consume("large", "read_uncommitted", seen -> !seen.isEmpty());

        assertThat(values).singleElement().satisfies(value -> assertThat(value).hasSize(1000 * 1024));
    }

    @Test
    void createTopicsAcceptsTopicsThatAlreadyExist() throws Exception {
        broker.createTopic("existing", 2, Map.of("cleanup.policy", "compact"));

        broker.createTopics(Map.of("existing", 2, "fresh", 1), Map.of());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(List.of("existing", "fresh")).allTopicNames().get();
            assertThat(topics.get("existing").partitions()).hasSize(2);
            assertThat(topics.get("fresh").partitions()).hasSize(1);
        }
    }

    @Test
    void keepsRecordsAcrossStopAndRestart() throws Exception {
        broker.createTopic("durable", 1, Map.of());
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>("durable", "key", "before-stop")).get();
        }
        int port = broker.port();

        broker.stop();
        broker.restart();

        assertThat(broker.port()).isEqualTo(port);
        assertThat(consume("durable", "read_uncommitted", seen -> !seen.isEmpty())).containsExactly("before-stop");
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, List<String> values) {
        producer.beginTransaction();
        for (String value : values) {
            producer.send(new ProducerRecord<>("transactions", "key", value));
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, String> overrides) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Reads a topic from the beginning until {@code done} holds for the values seen so far. */
    private static List<String> consume(String topic, String isolation, Predicate<List<String>> done) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(TIMEOUT).pollDelay(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
                return done.test(values);
            });
        }
        return values;
    }
}
