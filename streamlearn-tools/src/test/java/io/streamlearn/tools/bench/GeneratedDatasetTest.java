package io.streamlearn.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.core.data.Dataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GeneratedDatasetTest {

    private static final String SPEC = "generators.RandomTreeGenerator -o 3 -v 300 -u 5 -r 1 -i 1";

    @Test
    void sameSpecAndRowCountGiveTheSameRows() {
        assertThat(GeneratedDataset.of("generated", SPEC, 200).rows())
                .isEqualTo(GeneratedDataset.of("generated", SPEC, 200).rows());
    }

    @Test
    void rowsEncodeBackToTheGeneratorsInstances() {
        Dataset dataset = GeneratedDataset.of("generated", SPEC, 200);
        LabeledStream generated = LabeledStream.moa("generated", SPEC, 200);
        LabeledStream encoded = LabeledStream.of(dataset);

        assertThat(dataset.schema().features()).hasSize(8);
        assertThat(dataset.schema().features().get(0).values()).hasSize(300);
        assertThat(encoded.features()).usingElementComparator(Arrays::compare)
                .containsExactlyElementsOf(generated.features());
        assertThat(encoded.labels()).containsExactly(generated.labels());
    }
}
