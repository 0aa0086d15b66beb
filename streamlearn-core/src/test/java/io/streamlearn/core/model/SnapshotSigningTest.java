package io.streamlearn.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotSigningTest {

    private static final String KEY = "a shared secret of at least 32 bytes!";
    private static final FeatureSchema SCHEMA = new FeatureSchema("weather",
            FeatureSpec.nominal("play", List.of("yes", "no")), List.of(FeatureSpec.numeric("temp")));

    private final byte[] encoded = ModelSnapshotCodec.encode(new ModelSnapshot(
            new ModelMetadata("weather", 4, "trees.HoeffdingTree", SCHEMA, Map.of(), 10, 10, null, 1L,
                    ModelSnapshotCodec.FORMAT_VERSION), new byte[] {7, 8, 9}));

    @Test
    void aSignedSnapshotVerifiesAndStillDecodesWithoutTheKey() {
        SnapshotSigning signing = SnapshotSigning.of(KEY);

        byte[] signed = signing.sign(encoded);

        assertThat(signed).hasSize(encoded.length + 36);
        assertThat(signing.verify(signed)).isEqualTo(encoded);
        assertThat(ModelSnapshotCodec.decodeMetadata(signed).version()).isEqualTo(4);
        assertThat(ModelSnapshotCodec.decode(signed).learnerState()).containsExactly(7, 8, 9);
        assertThat(SnapshotSigning.none().verify(signed)).isEqualTo(encoded);
    }

    @Test
    void refusesATamperedSnapshotEvenWhenOnlyOneByteOfTheStateChanged() {
        SnapshotSigning signing = SnapshotSigning.of(KEY);
        byte[] signed = signing.sign(encoded);
        signed[signed.length - 1] ^= 1;

        assertThatThrownBy(() -> signing.verify(signed))
                .isInstanceOf(SecurityException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void refusesASnapshotSignedWithAnotherKeyOrNotSignedAtAll() {
        SnapshotSigning signing = SnapshotSigning.of(KEY);
        byte[] forged = SnapshotSigning.of("another secret, also 32 bytes long").sign(encoded);

        assertThatThrownBy(() -> signing.verify(forged)).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> signing.verify(encoded))
                .isInstanceOf(SecurityException.class)
                .hasMessage("snapshot is not signed and a signing key is configured");
    }

    @Test
    void withoutAKeyNothingIsSignedAndUnsignedSnapshotsAreAccepted() {
        SnapshotSigning none = SnapshotSigning.of("");

        assertThat(none.enabled()).isFalse();
        assertThat(none.sign(encoded)).isSameAs(encoded);
        assertThat(none.verify(encoded)).isSameAs(encoded);
    }

    @Test
    void refusesAShortKeyWithoutNamingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SnapshotSigning.of("tooShort"))
                .withMessage("the snapshot signing key must be at least 32 bytes long, got 8")
                .withMessageNotContaining("tooShort");
        assertThat(SnapshotSigning.of(KEY).toString()).doesNotContain(KEY);
    }

    @Test
    void warnsOnceAProcessWhenAServiceStartsWithoutAKeyAndNeverWithOne() {
        assertThat(SnapshotSigning.of("k".repeat(SnapshotSigning.MIN_KEY_BYTES)).warnIfDisabled("trainer")).isFalse();
        SnapshotSigning.none().warnIfDisabled("trainer");

        assertThat(SnapshotSigning.none().warnIfDisabled("prediction server")).isFalse();
        assertThat(SnapshotSigning.of("").warnIfDisabled("retrainer")).isFalse();
    }
}
