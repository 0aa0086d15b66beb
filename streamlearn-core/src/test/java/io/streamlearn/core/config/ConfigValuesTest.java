package io.streamlearn.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    private final ConfigValues values = new ConfigValues(Map.of("evaluation.window", " 12 ", "anomaly.rate", "0.25",
            "label.ttl.ms", "x", "kafka.acks", "all", "kafka.linger.ms", "5", "kafkaesque", "no"));

    @Test
    void readsTypedValuesAndFallsBackWhenAbsent() {
        assertThat(values.getLong("evaluation.window", 1)).isEqualTo(12);
        assertThat(values.getInt("evaluation.window", 1)).isEqualTo(12);
        assertThat(values.getDouble("anomaly.rate", 1)).isEqualTo(0.25);
        assertThat(values.get("label.hold.ms", "fallback")).isEqualTo("fallback");
        assertThat(values.getInt("label.hold.ms", 7)).isEqualTo(7);
    }

    @Test
    void namesTheKeyOfAValueThatDoesNotParse() {
        assertThatThrownBy(() -> values.getLong("label.ttl.ms", 1)).hasMessage("label.ttl.ms must be an integer, not 'x'");
        assertThatThrownBy(() -> values.getDouble("label.ttl.ms", 1)).hasMessage("label.ttl.ms must be a number, not 'x'");
    }

    @Test
    void selectsSettingsUnderAPrefixWithoutIt() {
        assertThat(values.withPrefix("kafka.")).containsExactlyInAnyOrderEntriesOf(Map.of("acks", "all",
                "linger.ms", "5"));
    }

    /** The registry is what docs/configuration.md is checked against, so code can read no key outside it. */
    @Test
    void refusesToReadAKeyTheRegistryLacks() {
        assertThatThrownBy(() -> values.get("undeclared.key", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key 'undeclared.key' is read but not declared in KnownKeys");
        assertThatThrownBy(() -> values.getInt("anomaly.fraud.limit", 1)).isInstanceOf(IllegalStateException.class);
        assertThat(values.get("anomaly.fraud.rate", "0.5")).isEqualTo("0.5");
    }
}
