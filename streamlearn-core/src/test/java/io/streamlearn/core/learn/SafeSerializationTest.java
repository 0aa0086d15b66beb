package io.streamlearn.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import moa.classifiers.Classifier;
import org.junit.jupiter.api.Test;

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
    void refusesBytesThatAreNotASerializedObject() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SafeSerialization.deserialize(new byte[] {1, 2, 3}, Classifier.class))
                .withMessageContaining("not readable");
    }
}
