import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces JSON events, one a line, to streamlearn's events topic, keyed by the model name (docs/topics.md: the key
 * puts all of a model's events in one partition, in order). kafka-clients only; run it with Java's single-file source
 * launcher, on a class path holding kafka-clients and slf4j-api (its one required dependency):
 *
 * <pre>
 * java -cp kafka-clients-4.4.0.jar:slf4j-api-2.0.17.jar examples/java/ProduceEvents.java \
 *     localhost:9092 events electricity events.jsonl
 * </pre>
 *
 * Arguments: bootstrap servers, topic, model (the record key), and a file of events (or {@code -} for stdin). Each line
 * is sent as it is: {@code {"id": "e-1", "features": {...}, "label": "UP"}} (the event contract, docs/topics.md).
 * Exits 1 when any record was not acknowledged by the broker.
 */
public class ProduceEvents {

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: ProduceEvents <bootstrap-servers> <topic> <model> <events.jsonl | ->");
            System.exit(2);
        }
        String topic = args[1];
        String model = args[2];
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // acks=all and idempotence (Kafka's defaults, stated here): a retried send is written once, in order.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);

        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (BufferedReader events = open(args[3]);
                KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (String line = events.readLine(); line != null; line = events.readLine()) {
                if (!line.isBlank()) {
                    sends.add(producer.send(new ProducerRecord<>(topic, model, line)));
                }
            }
            producer.flush();
        }
        int failed = 0;
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                if (failed++ == 0) {
                    System.err.println("not produced: " + e.getCause());
                }
            }
        }
        if (failed > 0) {
            System.err.println(failed + " of " + sends.size() + " events were not produced");
            System.exit(1);
        }
        System.out.println("produced " + sends.size() + " events to " + topic + ", key " + model);
    }

    private static BufferedReader open(String file) throws IOException {
        return file.equals("-") ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
    }
}
