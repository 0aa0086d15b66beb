package io.streamlearn.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What a group's assignment says of its members' {@code shard.enabled}, from either side. */
class ShardingAgreementTest {

    private static final Map<String, Integer> SHARD_TOPICS = Map.of("app-shard-steps", 2, "app-shard-votes", 1,
            "app-shard-sums", 2);

    @Test
    void anInstanceWithoutShardingAcceptsAGroupHoldingNoShardPartitions() {
        var assignments = Map.of("a", Set.of(new TopicPartition("events", 0)),
                "b", Set.of(new TopicPartition("events", 1), new TopicPartition("labels", 1)));

        assertThat(ShardingAgreement.disagreement(false, "app", true, assignments, SHARD_TOPICS)).isEmpty();
    }

    @Test
    void anInstanceWithoutShardingNamesTheMembersHoldingShardPartitionsInAnyGroupState() {
        var assignments = Map.of("a", Set.of(new TopicPartition("events", 0)),
                "b", Set.of(new TopicPartition("events", 1), new TopicPartition("app-shard-steps", 0)));

        assertThat(ShardingAgreement.disagreement(false, "app", false, assignments, SHARD_TOPICS)).hasValueSatisfying(
                reason -> assertThat(reason).contains("members [b]", "shard.enabled", "docs/sharding.md"));
    }

    @Test
    void anInstanceWithShardingAcceptsAStableGroupThatAssignsEveryShardPartition() {
        var assignments = Map.of(
                "a", Set.of(new TopicPartition("app-shard-steps", 0), new TopicPartition("app-shard-sums", 0),
                        new TopicPartition("app-shard-votes", 0)),
                "b", Set.of(new TopicPartition("app-shard-steps", 1), new TopicPartition("app-shard-sums", 1)));

        assertThat(ShardingAgreement.disagreement(true, "app", true, assignments, SHARD_TOPICS)).isEmpty();
    }

    @Test
    void anInstanceWithShardingNamesTheShardPartitionsAStableGroupAssignsToNoMember() {
        var assignments = Map.of(
                "a", Set.of(new TopicPartition("app-shard-steps", 0), new TopicPartition("app-shard-sums", 0),
                        new TopicPartition("app-shard-votes", 0)),
                "b", Set.of(new TopicPartition("events", 1)));

        assertThat(ShardingAgreement.disagreement(true, "app", true, assignments, SHARD_TOPICS)).hasValueSatisfying(
                reason -> assertThat(reason).contains("app-shard-steps-1", "app-shard-sums-1", "2 members",
                        "shard.enabled=false"));
    }

    @Test
    void anInstanceWithShardingWaitsForAStableGroup() {
        var assignments = Map.of("a", Set.of(new TopicPartition("events", 0)));

        assertThat(ShardingAgreement.disagreement(true, "app", false, assignments, SHARD_TOPICS)).isEmpty();
        assertThat(ShardingAgreement.disagreement(true, "app", true, Map.<String, Set<TopicPartition>>of(),
                SHARD_TOPICS)).isEmpty();
    }
}
