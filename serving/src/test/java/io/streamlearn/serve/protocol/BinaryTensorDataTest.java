package io.streamlearn.serve.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BinaryTensorDataTest {

    @Test
    void halfPrecisionElementsAreReadExactly() {
        assertThat(BinaryTensorData.half((short) 0x3c00)).isEqualTo(1.0);
        assertThat(BinaryTensorData.half((short) 0xc000)).isEqualTo(-2.0);
        assertThat(BinaryTensorData.half((short) 0x3555)).isEqualTo(0.333251953125);
        assertThat(BinaryTensorData.half((short) 0x0001)).isEqualTo(Math.scalb(1.0, -24));
        assertThat(BinaryTensorData.half((short) 0x7bff)).isEqualTo(65504.0);
        assertThat(BinaryTensorData.half((short) 0x8000)).isEqualTo(-0.0);
        assertThat(BinaryTensorData.half((short) 0x7c00)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(BinaryTensorData.half((short) 0x7e00)).isNaN();
    }

    @Test
    void elementCountsBeyondTheBytesSentAreRefusedBeforeAnythingIsAllocated() {
        BinaryTensorData oneByte = new BinaryTensorData(ByteBuffer.wrap(new byte[1]));

        assertThatThrownBy(() -> oneByte.read("day", TensorDatatype.BYTES, 0, 1_000_000_000L))
                .isInstanceOf(InvalidTensorException.class).hasMessageContaining("hold at most 0");
        assertThatThrownBy(() -> oneByte.read("day", TensorDatatype.BYTES, 1, 1))
                .isInstanceOf(InvalidTensorException.class).hasMessageContaining("hold at most 0");
        assertThatThrownBy(() -> oneByte.read("x", TensorDatatype.FP64, 0, Long.MAX_VALUE / 2))
                .isInstanceOf(InvalidTensorException.class)
                .hasMessageContaining("(36893488147419103224 bytes)");
    }
}
