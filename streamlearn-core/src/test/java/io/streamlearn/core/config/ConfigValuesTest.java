package io.streamlearn.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    private final ConfigValues values = new ConfigValues(Map.of("a.count", " 12 ", "a.rate", "0.25", "bad", "x",
            "kafka.acks", "all", "kafka.linger.ms", "5", "kafkaesque", "no"));

    @Test
    void readsTypedValuesAndFallsBackWhenAbsent() {
        assertThat(values.getLong("a.count", 1)).isEqualTo(12);
        assertThat(values.getInt("a.count", 1)).isEqualTo(12);
        assertThat(values.getDouble("a.rate", 1)).isEqualTo(0.25);
        assertThat(values.get("missing", "fallback")).isEqualTo("fallback");
        assertThat(values.getInt("missing", 7)).isEqualTo(7);
    }

    @Test
    void namesTheKeyOfAValueThatDoesNotParse() {
        assertThatThrownBy(() -> values.getLong("bad", 1)).hasMessage("bad must be an integer, not 'x'");
        assertThatThrownBy(() -> values.getDouble("bad", 1)).hasMessage("bad must be a number, not 'x'");
    }

    @Test
    void selectsSettingsUnderAPrefixWithoutIt() {
        assertThat(values.withPrefix("kafka.")).containsExactlyInAnyOrderEntriesOf(Map.of("acks", "all",
                "linger.ms", "5"));
    }
}
