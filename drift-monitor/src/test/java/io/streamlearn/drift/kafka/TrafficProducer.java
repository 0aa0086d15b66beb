package io.streamlearn.drift.kafka;

import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.kafka.EmbeddedKafkaBroker;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * 8,000 events of a classifier with their trainer predictions and, 50 events later, their labels: x shifts by
 * 3 sigma at 3,000, the error rate rises from 0.1 to 0.4 at 5,000. Produced in parts, one seeded sequence.
 */
final class TrafficProducer {

    private final EmbeddedKafkaBroker broker;
    private final DriftMonitorConfig config;
    private final Traffic traffic = new Traffic(41);
    private final String[] labels = new String[8001];
    private int produced;

    TrafficProducer(EmbeddedKafkaBroker broker, DriftMonitorConfig config) {
        this.broker = broker;
        this.config = config;
    }

    void produceUpTo(int last) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (var producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = produced + 1; i <= last; i++) {
                traffic.xShift = i > 3000 ? 3 : 0;
                traffic.accuracy = i > 5000 ? 0.6 : 0.9;
                traffic.next();
                labels[i] = traffic.label();
                producer.send(new ProducerRecord<>(config.eventsTopic(), null, Traffic.time(i), Traffic.MODEL,
                        traffic.event(i, false)));
                producer.send(new ProducerRecord<>(config.predictionsTopic(), null, Traffic.time(i),
                        Traffic.MODEL, traffic.prediction(i)));
                if (i > 50) {
                    producer.send(new ProducerRecord<>(config.labelsTopic(), null, Traffic.time(i), Traffic.MODEL,
                            Traffic.label(i - 50, labels[i - 50])));
                }
            }
        }
        produced = last;
    }
}
