package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
        byte[] bytes = HostileSerialization.hugeLongArray();

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

    /** The timeout only keeps a regression from hanging the build: the refusal takes milliseconds. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void refusesNestedHashSetsThatWouldHashForEver() {
        byte[] bytes = HostileSerialization.nestedHashSets();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(bytes, Set.class))
                .withMessageContaining("allow-list");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void refusesNestedHashMapsThatWouldHashForEver() {
        byte[] bytes = HostileSerialization.nestedHashMaps();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(bytes, Map.class))
                .withMessageContaining("steps");
    }

    @Test
    void readsAHashMapOfCollectionsThatShareNothing() {
        HashMap<List<String>, List<Integer>> map = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            map.put(new ArrayList<>(List.of("key", Integer.toString(i))), new ArrayList<>(List.of(i, i + 1)));
        }

        assertThat(SafeSerialization.deserialize(SafeSerialization.serialize(map), Map.class)).isEqualTo(map);
    }

    @Test
    void refusesBytesThatAreNotASerializedObject() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(new byte[] {1, 2, 3}, Classifier.class))
                .withMessageContaining("not readable");
    }
}
