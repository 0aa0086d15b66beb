package io.streamlearn.trainer.kafka;

import io.streamlearn.runtime.kafka.KafkaAdmin;
import io.streamlearn.trainer.TrainerConfig;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches that every instance of a trainer application sets the same {@code shard.enabled}. Kafka Streams' classic
 * group protocol does not compare its members' topologies: two instances that disagree both run on (one of each
 * stayed {@code RUNNING} for 30 s, the leader's consumer logging at WARN only that the shard topics "are not assigned
 * to any members"), while the shard topics' partitions go to no member, or to one without the shard stage, so the
 * sharded models' steps and votes are never processed. The group's assignment shows it: an instance without sharding
 * sees partitions of the shard topics assigned to a member, and one with sharding sees, in a stable group, a
 * partition of a shard topic assigned to none. When two checks in a row find the same, the instance stops with the
 * reason (its liveness answers 503; docs/sharding.md); a rebalance's passing gap does not last two checks.
 */
public final class ShardingAgreement implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardingAgreement.class);
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);
    private static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final TrainerConfig config;
    private final Consumer<String> onDisagreement;
    private final Admin admin;
    private final ScheduledExecutorService checks;
    private String previous;

    private ShardingAgreement(TrainerConfig config, Consumer<String> onDisagreement) {
        this.config = config;
        this.onDisagreement = onDisagreement;
        this.admin = KafkaAdmin.create(config.bootstrapServers(), config.kafkaProperties());
        this.checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "streamlearn-sharding-agreement");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts checking the application's group every {@link #CHECK_INTERVAL}.
     *
     * @param onDisagreement called once, with what is wrong and what to do, when two checks in a row found the
     *                       instances disagreeing
     */
    public static ShardingAgreement watch(TrainerConfig config, Consumer<String> onDisagreement) {
        ShardingAgreement agreement = new ShardingAgreement(config, onDisagreement);
        long millis = CHECK_INTERVAL.toMillis();
        agreement.checks.scheduleWithFixedDelay(agreement::check, millis, millis, TimeUnit.MILLISECONDS);
        return agreement;
    }

    private void check() {
        Optional<String> found;
        try {
            found = disagreement(describeGroup());
        } catch (Exception e) {
            // A broker away for a while: Kafka Streams reports that itself; the next check asks again.
            LOG.debug("Could not read the group of {} to compare shard.enabled", config.applicationId(), e);
            return;
        }
        if (found.isPresent() && found.get().equals(previous)) {
            onDisagreement.accept(found.get());
            checks.shutdown();
        }
        previous = found.orElse(null);
    }

    private Optional<String> disagreement(ConsumerGroupDescription group) throws Exception {
        if (group == null) {
            return Optional.empty();
        }
        Map<String, Set<TopicPartition>> assignments = new HashMap<>();
        for (MemberDescription member : group.members()) {
            assignments.computeIfAbsent(member.clientId(), id -> new HashSet<>())
                    .addAll(member.assignment().topicPartitions());
        }
        Map<String, Integer> shardTopics = new HashMap<>();
        if (config.shardingEnabled()) {
            for (TopicDescription topic : admin.describeTopics(shardTopicNames()).allTopicNames().get().values()) {
                shardTopics.put(topic.name(), topic.partitions().size());
            }
        } else {
            shardTopicNames().forEach(topic -> shardTopics.put(topic, 0));
        }
        return disagreement(config.shardingEnabled(), config.applicationId(),
                group.groupState() == GroupState.STABLE, assignments, shardTopics);
    }

    /**
     * What the group's assignment says of its members' {@code shard.enabled}, seen from an instance that sets it to
     * {@code shardingEnabled}; empty when nothing shows a disagreement.
     *
     * @param assignments the partitions assigned to each member, by client id
     * @param shardTopics the shard topics, with their partition counts (only read with sharding enabled)
     */
    static Optional<String> disagreement(boolean shardingEnabled, String application, boolean stable,
            Map<String, Set<TopicPartition>> assignments, Map<String, Integer> shardTopics) {
        if (!shardingEnabled) {
            Set<String> sharding = new TreeSet<>();
            assignments.forEach((member, partitions) -> {
                if (partitions.stream().anyMatch(partition -> shardTopics.containsKey(partition.topic()))) {
                    sharding.add(member);
                }
            });
            return sharding.isEmpty() ? Optional.empty() : Optional.of("partitions of the shard topics of application "
                    + application + " are assigned to members " + sharding + ", so an instance of it runs with "
                    + "shard.enabled=true and this one without it: every instance of an application must set the "
                    + "same shard.enabled, or its sharded models stall (docs/sharding.md)");
        }
        if (!stable || assignments.isEmpty()) {
            return Optional.empty();
        }
        Set<TopicPartition> assigned = new HashSet<>();
        assignments.values().forEach(assigned::addAll);
        // Sorted, so that the same gap reads the same at two checks.
        Set<TopicPartition> unassigned = new TreeSet<>(BY_TOPIC_AND_PARTITION);
        shardTopics.forEach((topic, partitions) -> {
            for (int partition = 0; partition < partitions; partition++) {
                if (!assigned.contains(new TopicPartition(topic, partition))) {
                    unassigned.add(new TopicPartition(topic, partition));
                }
            }
        });
        return unassigned.isEmpty() ? Optional.empty() : Optional.of("the stable group of application "
                + application + " (" + assignments.size() + " members) assigns no member " + unassigned
                + ", so a member runs with shard.enabled=false and this instance with it: every instance of an "
                + "application must set the same shard.enabled, or its sharded models stall (docs/sharding.md)");
    }

    private List<String> shardTopicNames() {
        return List.of(config.shardStepsTopic(), config.shardVotesTopic(), config.shardSumsTopic());
    }

    private ConsumerGroupDescription describeGroup() throws Exception {
        return admin.describeConsumerGroups(List.of(config.applicationId())).all().get()
                .get(config.applicationId());
    }

    @Override
    public void close() {
        checks.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
