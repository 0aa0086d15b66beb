package io.streamlearn.retrain.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamlearn.retrain.kafka.ModelsIndex.Location;
import org.junit.jupiter.api.Test;

class ModelsIndexTest {

    @Test
    void theHigherOffsetOfAPartitionIsNewestAndATombstoneRemovesTheKey() {
        ModelsIndex index = new ModelsIndex();
        index.apply("m", false, new Location(0, 3, 100));
        index.apply("m", false, new Location(0, 7, 90));
        index.apply("m", false, new Location(0, 5, 200));
        assertThat(index.find("m")).contains(new Location(0, 7, 90));

        index.apply("m", true, new Location(0, 8, 0));
        assertThat(index.find("m")).isEmpty();
        assertThat(index.keys()).isEmpty();

        index.apply("m", false, new Location(0, 9, 0));
        assertThat(index.find("m")).contains(new Location(0, 9, 0));
    }

    @Test
    void acrossPartitionsTheLaterTimestampWins() {
        ModelsIndex index = new ModelsIndex();
        index.apply("m@batch", false, new Location(1, 40, 500));
        index.apply("m@batch", false, new Location(0, 2, 400));
        assertThat(index.find("m@batch")).contains(new Location(1, 40, 500));

        index.apply("m@batch", false, new Location(0, 3, 500));
        assertThat(index.find("m@batch")).contains(new Location(0, 3, 500));
        index.apply("m@batch", true, new Location(1, 41, 499));
        assertThat(index.find("m@batch")).contains(new Location(0, 3, 500));
    }
}
