package io.streamlearn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingReferenceCodecTest {

    @Test
    void keepsNumbersCategoriesNullsAndAbsentFeaturesApart() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("x", null);
        withNull.put("day", "mon");
        TrainingReference reference = new TrainingReference("shop", 1_700_000_000_000L, List.of(
                new TrainingReference.Row(0, 41, 1000, Map.of("x", 0.25, "day", "ü-tag")),
                new TrainingReference.Row(2, 42, 1001, withNull),
                new TrainingReference.Row(0, 43, 1002, Map.of("x", -1.5))));

        TrainingReference read = TrainingReferenceCodec.decode(TrainingReferenceCodec.encode(reference));

        assertThat(read).isEqualTo(reference);
        assertThat(TrainingReferenceCodec.version(TrainingReferenceCodec.encode(reference)))
                .isEqualTo(1_700_000_000_000L);
        assertThat(read.rows().get(1).values()).containsEntry("x", null);
        assertThat(read.rows().get(2).values()).containsOnlyKeys("x");
    }

    @Test
    void refusesForeignOrTruncatedBytesWithAClearMessage() {
        byte[] bytes = TrainingReferenceCodec.encode(new TrainingReference("m", 3,
                List.of(new TrainingReference.Row(0, 1, 2, Map.of("x", 1.0)))));

        assertThatThrownBy(() -> TrainingReferenceCodec.decode("SLM1....".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad magic");
        for (int length = 8; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> TrainingReferenceCodec.decode(truncated))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void takesTwentyBytesPerRowAndNinePerNumericValue() {
        Map<String, Object> values = new HashMap<>();
        for (int f = 0; f < 10; f++) {
            values.put("f" + f, (double) f);
        }
        List<TrainingReference.Row> rows = java.util.stream.IntStream.range(0, 5000)
                .mapToObj(i -> new TrainingReference.Row(0, i, i, values)).toList();

        assertThat(TrainingReferenceCodec.encode(new TrainingReference("m", 1, rows)).length)
                .isEqualTo(4 + 4 + 5 + 8 + 4 + 10 * 6 + 4 + 5000 * (20 + 10 * 9));
    }
}
