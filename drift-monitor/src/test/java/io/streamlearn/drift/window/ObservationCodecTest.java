package io.streamlearn.drift.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObservationCodecTest {

    @Test
    void writesTheBytesDataOutputStreamWritesForTheLayoutAndReadsThemBack() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("x", 1.5);
        values.put("nan", Double.NaN);
        values.put("negative zero", -0.0);
        values.put("missing", null);
        values.put("colour", "red");
        values.put("", "");
        values.put("température", "élevée");
        values.put("名前", "値");
        values.put("emoji \uD83D\uDE00", "nul \u0000 inside");
        values.put("n".repeat(70_000 / 3), "c".repeat(65_535));
        Observation observation = new Observation(42, 3, 1_234_567_890_123L, -7, values);

        byte[] encoded = ObservationCodec.encode(observation);

        assertThat(encoded).isEqualTo(dataOutputStream(observation));
        assertThat(ObservationCodec.decode(encoded)).isEqualTo(observation);
    }

    @Test
    void refusesTextLongerThanItsLengthField() {
        Observation observation = new Observation(1, 0, 0, 0, Map.of("x", "c".repeat(65_536)));
        assertThatThrownBy(() -> ObservationCodec.encode(observation)).isInstanceOf(UncheckedIOException.class);
    }

    /** The layout as DataOutputStream writes it: what journals of earlier builds hold. */
    private static byte[] dataOutputStream(Observation observation) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(observation.position());
            out.writeInt(observation.partition());
            out.writeLong(observation.offset());
            out.writeLong(observation.timestamp());
            out.writeInt(observation.values().size());
            for (Map.Entry<String, Object> entry : observation.values().entrySet()) {
                out.writeUTF(entry.getKey());
                if (entry.getValue() == null) {
                    out.writeByte(0);
                } else if (entry.getValue() instanceof Double number) {
                    out.writeByte(1);
                    out.writeDouble(number);
                } else {
                    out.writeByte(2);
                    out.writeUTF((String) entry.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
