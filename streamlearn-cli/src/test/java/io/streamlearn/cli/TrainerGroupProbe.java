package io.streamlearn.cli;

import static org.awaitility.Awaitility.await;

import io.streamlearn.trainer.TrainerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * What the broker says of a trainer application while a test runs: its consumer group's members and what each is
 * assigned, and the transactions that hold {@code read_committed} readers back (for a failing test's message).
 */
final class TrainerGroupProbe {

    private final String bootstrapServers;
    private final TrainerConfig config;
    private final int partitions;

    /** @param partitions the partitions of each of the application's topics */
    TrainerGroupProbe(String bootstrapServers, TrainerConfig config, int partitions) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.partitions = partitions;
    }

    /** Waits until {@code members} instances have joined and each owns some partitions of the events topic. */
    void awaitMembers(int members) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            ConsumerGroupDescription group = describe();
            return group != null && group.state() == ConsumerGroupState.STABLE && group.members().size() == members
                    && group.members().stream().allMatch(member -> member.assignment().topicPartitions().stream()
                            .anyMatch(partition -> partition.topic().equals(config.eventsTopic())));
        });
    }

    /** The events topic's partitions assigned to the instance of {@code clientId} (active tasks only). */
    Set<Integer> eventsPartitionsOf(String clientId) throws Exception {
        Set<Integer> owned = new HashSet<>();
        for (MemberDescription member : describe().members()) {
            if (member.clientId().startsWith(clientId + "-")) {
                member.assignment().topicPartitions().stream()
                        .filter(partition -> partition.topic().equals(config.eventsTopic()))
                        .forEach(partition -> owned.add(partition.partition()));
            }
        }
        return owned;
    }

    /** The client id of the member assigned {@code partition}. */
    String memberHolding(TopicPartition partition) throws Exception {
        for (MemberDescription member : describe().members()) {
            if (member.assignment().topicPartitions().contains(partition)) {
                return member.clientId();
            }
        }
        throw new AssertionError("no member of " + config.applicationId() + " is assigned " + partition);
    }

    /** Open transactions and the partitions whose last stable offset lags their end: what holds readers back. */
    String transactionState() {
        try (Admin admin = admin()) {
            StringBuilder state = new StringBuilder("transactions: ");
            for (var listing : admin.listTransactions().all().get()) {
                if (!listing.state().toString().startsWith("COMPLETE")) {
                    state.append(listing.transactionalId()).append('=').append(listing.state()).append(' ');
                }
            }
            state.append("; stable offset behind end on: ");
            for (String topic : List.of(config.eventsTopic(), config.predictionsTopic(), config.modelsTopic())) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < partitions; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
                var committed = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .all().get();
                var uncommitted = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                        .all().get();
                committed.forEach((partition, info) -> {
                    long end = uncommitted.get(partition).offset();
                    if (info.offset() < end) {
                        state.append(partition).append(' ').append(info.offset()).append('<').append(end).append(' ');
                    }
                });
            }
            return state.toString();
        } catch (Exception e) {
            return "transaction state unavailable: " + e;
        }
    }

    /** The trainers' consumer group, {@code null} until the first instance joins. */
    private ConsumerGroupDescription describe() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(config.applicationId())).all().get()
                    .get(config.applicationId());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
