package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.File;
import java.io.Serializable;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import moa.classifiers.Classifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SafeSerializationTest {

    @Test
    void readsBackAllowedTypes() {
        ArrayList<String> list = new ArrayList<>(List.of("a", "b"));

        List<?> copy = SafeSerialization.deserialize(SafeSerialization.serialize(list), List.class);

        assertThat(copy).isEqualTo(list);
    }

    @Test
    void refusesAFileObjectOutsideTheAllowList() {
        byte[] bytes = SafeSerialization.serialize(new File("x"));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(bytes, Classifier.class))
                .withMessageContaining("allow-list");
    }

    @Test
    void refusesAUrlNestedInsideAnAllowedCollection() throws Exception {
        ArrayList<Object> list = new ArrayList<>(List.of(new URL("http://example.org/")));
        byte[] bytes = SafeSerialization.serialize(list);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(bytes, List.class))
                .withMessageContaining("allow-list");
    }

    @Test
    void refusesAnAllowedObjectOfTheWrongType() {
        byte[] bytes = SafeSerialization.serialize("not a learner");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(bytes, Classifier.class))
                .withMessageContaining("not a Classifier");
    }

    @Test
    void refusesAHugeArrayDeclaredInAFewBytesBeforeAllocatingIt() {
        byte[] bytes = hugeLongArray();

        assertThat(bytes).hasSizeLessThan(40);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(bytes, Classifier.class))
                .withMessageContaining("allow-list");
    }

    @Test
    void refusesAnArrayLongerThanTheBytesLeftInTheStream() {
        byte[] bytes = SafeSerialization.serialize(new long[100_000]);
        byte[] truncated = Arrays.copyOf(bytes, 2000);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(truncated, long[].class))
                .withMessageContaining("allow-list");
        assertThat(SafeSerialization.deserialize(bytes, long[].class)).hasSize(100_000);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void refusesNestedHashSetsThatWouldHashForEver() {
        byte[] bytes = SafeSerialization.serialize((Serializable) serialDos(HashSet::new, Set::add));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(bytes, Set.class))
                .withMessageContaining("allow-list");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void refusesNestedHashMapsThatWouldHashForEver() {
        byte[] bytes = SafeSerialization.serialize((Serializable) serialDos(HashMap::new, (map, key) -> map.put(key, 1)));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(bytes, Map.class))
                .withMessageContaining("steps");
    }

    /** {@code long[1 << 28]} (2 GiB) as Java serialization writes it: a {@code long[0]} whose length is patched. */
    static byte[] hugeLongArray() {
        byte[] bytes = SafeSerialization.serialize(new long[0]);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, 1 << 28);
        return bytes;
    }

    /**
     * Wouter Coekaerts' SerialDOS (2015): 100 levels of two collections that both hold both collections of the next
     * level, so that hashing the root visits 2^100 collections. Built top down, so building it hashes nothing deep.
     */
    static <C> C serialDos(Supplier<C> create, BiConsumer<C, Object> add) {
        C root = create.get();
        C first = root;
        C second = create.get();
        for (int level = 0; level < 100; level++) {
            C left = create.get();
            C right = create.get();
            add.accept(left, "level");
            add.accept(first, left);
            add.accept(first, right);
            add.accept(second, left);
            add.accept(second, right);
            first = left;
            second = right;
        }
        return root;
    }

    @Test
    void refusesBytesThatAreNotASerializedObject() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(new byte[] {1, 2, 3}, Classifier.class))
                .withMessageContaining("not readable");
    }
}
