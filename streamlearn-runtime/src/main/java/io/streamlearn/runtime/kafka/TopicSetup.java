package io.streamlearn.runtime.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates streamlearn's topics when they are missing, for every service that owns topics (the trainer's set is
 * {@code TrainerTopics}; the drift monitor's and the retrainer's are theirs), and waits until their leaders serve
 * them.
 */
public final class TopicSetup {

    /** Kafka's default {@code message.max.bytes} (and topic {@code max.message.bytes}). */
    public static final long KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    private TopicSetup() {
    }

    /**
     * The drift monitor's training references (written by the retrainer with each promotion, read by the monitor as a
     * global store; docs/drift.md, section 8): compacted, keyed by model, chunked like snapshots, so with the
     * cluster's default record limit. Both services create it when missing, with this one definition.
     */
    public static NewTopic driftReferences(String name, int partitions, short replication) {
        return new NewTopic(name, partitions, replication).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * As {@link #createMissing(String, Map, List)} for one topic that another service also creates when missing (the
     * serving pins, the drift references, the model definitions); losing the race to create it is fine, as it is for
     * any topic there.
     */
    public static void createShared(String bootstrapServers, Map<String, String> kafkaProperties, NewTopic topic) {
        createMissing(bootstrapServers, kafkaProperties, List.of(topic));
    }

    /** The descriptions of those of {@code topics} that exist (partitions, replicas), by name. */
    public static Map<String, TopicDescription> describeExisting(String bootstrapServers,
            Map<String, String> kafkaProperties, List<String> topics) {
        try (Admin client = KafkaAdmin.create(bootstrapServers, kafkaProperties)) {
            Set<String> existing = client.listTopics().names().get();
            List<String> present = topics.stream().filter(existing::contains).toList();
            return present.isEmpty() ? Map.of() : client.describeTopics(present).allTopicNames().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not describe topics on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Creates those of {@code topics} that do not exist yet and returns once every partition of them is served by its
     * leader; shared by every streamlearn application that owns topics.
     *
     * @param kafkaProperties client settings (credentials) passed to the admin client unchanged
     */
    public static void createMissing(String bootstrapServers, Map<String, String> kafkaProperties,
            List<NewTopic> topics) {
        try (Admin client = KafkaAdmin.create(bootstrapServers, kafkaProperties)) {
            Set<String> existing = client.listTopics().names().get();
            List<NewTopic> wanted = new ArrayList<>(topics);
            wanted.removeIf(topic -> existing.contains(topic.name()));
            if (!wanted.isEmpty()) {
                // Instances of one service start together on a fresh cluster (a StatefulSet, several compose
                // services): a topic another instance created meanwhile is as good as one created here.
                for (var created : client.createTopics(wanted).values().entrySet()) {
                    try {
                        created.getValue().get();
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
                awaitLeaders(client, wanted.stream().map(NewTopic::name).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Waits until every partition of fresh topics answers as a leader. The broker's metadata can name a leader a
     * moment before that leader serves the partition; a producer writing in that window gets NOT_LEADER_OR_FOLLOWER
     * on its first batch while later pipelined batches land, and an idempotent producer then retries the first one
     * forever with OUT_OF_ORDER_SEQUENCE_NUMBER (seen on a freshly started single-node KRaft broker). A ListOffsets
     * request is served by the partition leader itself, so its success is the readiness test.
     */
    private static void awaitLeaders(Admin client, List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                for (TopicDescription topic : client.describeTopics(topics).allTopicNames().get().values()) {
                    topic.partitions().forEach(p -> partitions.put(new TopicPartition(topic.name(), p.partition()),
                            OffsetSpec.latest()));
                }
                client.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(20);
        }
    }
}
