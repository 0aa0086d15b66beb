package io.streamlearn.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.topic.Topic;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnownKeysTest {

    @Test
    void namesTheClosestKnownKeyOfATypo() {
        assertThat(KnownKeys.unknown(List.of("snapshot.intervl.ms", "snapshot.interval.ms")))
                .containsExactly("unknown key 'snapshot.intervl.ms' (did you mean 'snapshot.interval.ms'?)");
        assertThat(KnownKeys.describeUnknown("http.max.body.bytes"))
                .isEqualTo("unknown key 'http.max.body.bytes' (did you mean 'http.max-body-bytes'?)");
        assertThat(KnownKeys.describeUnknown("topic.event"))
                .isEqualTo("unknown key 'topic.event' (did you mean 'topic.events'?)");
    }

    @Test
    void suggestsNothingForAKeyFarFromEveryKnownOne() {
        assertThat(KnownKeys.describeUnknown("completely.unrelated.setting"))
                .isEqualTo("unknown key 'completely.unrelated.setting' (docs/configuration.md lists every key)");
    }

    @Test
    void knowsEveryServicesKeysKafkaPassThroughPatternsAndDeprecatedAliases() {
        assertThat(KnownKeys.unknown(List.of("bootstrap.servers", "http.max-body-bytes", "drift.window.size",
                "retrain.window.max-rows", "kafka.sasl.jaas.config", "anomaly.fraud.threshold", "anomaly.fraud.rate",
                "models.topic", "pins.topic", "predictions.topic", "labels.topic"))).isEmpty();
        assertThat(KnownKeys.isKnown("anomaly.fraud.limit")).isFalse();
        assertThat(KnownKeys.isKnown("kafka")).isFalse();
    }

    @Test
    void everyTopicOfTheContractIsAKnownKeyWithItsDefaultName() {
        for (Topic topic : Topic.values()) {
            assertThat(KnownKeys.ALL).filteredOn(key -> key.name().equals(topic.key())).singleElement()
                    .satisfies(key -> assertThat(key.defaultValue()).isEqualTo(topic.defaultName()));
        }
        assertThat(Arrays.stream(Topic.values()).map(Topic::key)).doesNotHaveDuplicates()
                .allMatch(key -> key.startsWith("topic."));
    }

    @Test
    void declaresEachKeyOnceAndEveryKeyHasAMeaningAndAReader() {
        assertThat(KnownKeys.ALL).extracting(ConfigKey::name).doesNotHaveDuplicates();
        assertThat(KnownKeys.ALL).allSatisfy(key -> {
            assertThat(key.meaning()).isNotBlank();
            assertThat(key.readBy()).isNotEmpty();
        });
        assertThat(KnownKeys.DEPRECATED.values()).allMatch(KnownKeys::isKnown);
    }

    @Test
    void renamesADeprecatedKeyAndRefusesOneThatContradictsItsNewKey() {
        assertThat(KnownKeys.renameDeprecated(Map.of("pins.topic", "p", "http.port", "1")))
                .isEqualTo(Map.of("topic.pins", "p", "http.port", "1"));
        assertThatThrownBy(() -> KnownKeys.renameDeprecated(Map.of("labels.topic", "a", "topic.labels", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'labels.topic' (deprecated) is 'a' but 'topic.labels' is 'b'; set only 'topic.labels'");
    }

    @Test
    void theEnvironmentNameOfAKeyIsTheOneSettingsReadsBack() {
        for (ConfigKey key : KnownKeys.ALL) {
            if (!key.name().contains("*") && !key.name().contains("<")) {
                assertThat(Settings.keyOf(key.environmentName())).isEqualTo(key.name());
            }
        }
        assertThat(new ConfigKey("http.max-body-bytes", "long", "", "m", java.util.Set.of(Service.SERVE))
                .environmentName()).isEqualTo("STREAMLEARN_HTTP_MAX__BODY__BYTES");
    }
}
