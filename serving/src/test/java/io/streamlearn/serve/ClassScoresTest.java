package io.streamlearn.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassScoresTest {

    @Test
    void isTheMapOfClassesToScoresInDeclarationOrder() {
        ClassScores scores = new ClassScores(List.of("UP", "DOWN", "FLAT"), new double[] {0.75, 0.25});
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("UP", 0.75);
        expected.put("DOWN", 0.25);
        expected.put("FLAT", 0.0);

        assertThat(scores).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(scores.keySet()).containsExactly("UP", "DOWN", "FLAT");
        assertThat(scores.get("DOWN")).isEqualTo(0.25);
        assertThat(scores.get("SIDEWAYS")).isNull();
        assertThat(scores.getOrDefault("FLAT", -1.0)).isEqualTo(0.0);
        assertThat(scores.label(2)).isEqualTo("FLAT");
        assertThat(scores.score(2)).isEqualTo(0.0);
    }
}
