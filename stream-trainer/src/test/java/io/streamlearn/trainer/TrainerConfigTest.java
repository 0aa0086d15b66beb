package io.streamlearn.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.eval.AlertRule;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The anomaly alert rule, fading factor and shard topic settings. */
class TrainerConfigTest {

    @Test
    void alertRuleIsPerModelThenGlobalThenTheDefaultRate() {
        TrainerConfig config = TrainerConfig.of(Map.of("anomaly.rate", "0.05", "anomaly.sensors.threshold", "0.8",
                "anomaly.meters.rate", "0.002"));
        assertThat(config.alertRule("sensors")).isEqualTo(new AlertRule(0.8, 0.05));
        assertThat(config.alertRule("meters")).isEqualTo(AlertRule.topRate(0.002));
        assertThat(config.alertRule("other")).isEqualTo(AlertRule.topRate(0.05));
        assertThat(TrainerConfig.of(Map.of()).alertRule("any")).isEqualTo(AlertRule.topRate(AlertRule.DEFAULT_RATE));
        assertThat(TrainerConfig.of(Map.of()).anomaliesTopic()).isEqualTo("anomalies");
    }

    @Test
    void fadingFactorDefaultsToGamasValueAndIsValidated() {
        assertThat(TrainerConfig.of(Map.of()).fadingFactor()).isEqualTo(0.999);
        assertThat(TrainerConfig.of(Map.of("evaluation.fading.factor", "0.99")).validate().fadingFactor())
                .isEqualTo(0.99);
        assertThatThrownBy(() -> TrainerConfig.of(Map.of("evaluation.fading.factor", "1.5")).validate())
                .hasMessageContaining("evaluation.fading.factor");
        assertThatThrownBy(() -> TrainerConfig.of(Map.of("anomaly.rate", "2")).validate())
                .hasMessageContaining("anomaly");
    }

    @Test
    void theShardTopicsAreTheApplicationsOwnAndTheVotesTopicsPartitionsAreValidated() {
        TrainerConfig defaults = TrainerConfig.of(Map.of("application.id", "trainer-a"));
        assertThat(defaults.shardVotesTopic()).isEqualTo("trainer-a-shard-votes");
        assertThat(defaults.shardSumsTopic()).isEqualTo("trainer-a-shard-sums");
        assertThat(defaults.shardVotesPartitions()).as("as many as events").isEmpty();
        assertThat(TrainerConfig.of(Map.of("shard.votes.partitions", "12")).validate().shardVotesPartitions())
                .hasValue(12);
        assertThatThrownBy(() -> TrainerConfig.of(Map.of("shard.votes.partitions", "0")).validate())
                .hasMessageContaining("shard.votes.partitions");
    }

    @Test
    void refusesATypoNamingTheClosestKnownKeyButAcceptsOtherServicesKeys() {
        assertThatThrownBy(() -> TrainerConfig.of(Map.of("snapshot.intervl.ms", "1000")).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid trainer configuration: unknown key 'snapshot.intervl.ms' "
                        + "(did you mean 'snapshot.interval.ms'?)");
        TrainerConfig config = TrainerConfig.of(Map.of("http.port", "8081", "drift.window.size", "500",
                "retrain.trials", "3", "anomaly.fraud.rate", "0.02", "kafka.num.stream.threads", "2")).validate();
        assertThat(config.alertRule("fraud").rate()).isEqualTo(0.02);
    }
}
