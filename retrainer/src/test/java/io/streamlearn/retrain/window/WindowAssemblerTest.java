package io.streamlearn.retrain.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.Label;
import io.streamlearn.retrain.RetrainFixtures;
import io.streamlearn.retrain.window.SourceRecord.EventAt;
import io.streamlearn.retrain.window.SourceRecord.LabelAt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowAssemblerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DataVersion RANGES = new DataVersion(List.of(new OffsetRange("events", 0, 100, 110)),
            List.of(new OffsetRange("labels", 0, 0, 20)), "v1");

    private static EventAt event(long offset, long time, double x1, String inlineLabel) {
        ObjectNode features = JSON.createObjectNode().put("x1", x1).put("x2", -x1);
        return new EventAt(0, offset, time, new Event("e" + offset, time, "sign", features,
                inlineLabel == null ? null : TextNode.valueOf(inlineLabel)));
    }

    private static LabelAt label(long offset, String id, String value) {
        return new LabelAt(0, offset, new Label(id, "sign", TextNode.valueOf(value)));
    }

    @Test
    void joinsInlineAndLaterLabelsEncodesWithTheSchemaAndCountsWhatItLeavesOut() {
        List<EventAt> events = List.of(event(100, 1_000, 1.5, "pos"), event(101, 2_000, -2, null),
                event(102, 3_000, 3, null), event(103, 4_000, 4, "maybe"));
        List<LabelAt> labels = List.of(label(0, "e101", "neg"), label(1, "e101", "pos"));

        TrainingWindow window = WindowAssembler.assemble(RetrainFixtures.SCHEMA, events, labels, RANGES, 100, false,
                Map.of());

        assertThat(window.size()).isEqualTo(2);
        assertThat(window.features()).isDeepEqualTo(new double[][] {{1.5, -1.5}, {-2, 2}});
        assertThat(window.labels()).as("the first label record of an id wins").containsExactly(1, 0);
        assertThat(window.times()).containsExactly(1_000, 2_000);
        assertThat(window.unlabelled()).isEqualTo(1);
        assertThat(window.skippedRows()).as("'maybe' is not a class of the target").isEqualTo(1);
        assertThat(window.dataVersion()).isEqualTo(RANGES);
        assertThat(WindowAssembler.labelledRows(events, labels)).isEqualTo(3);
    }

    @Test
    void keepsTheNewestRowsInEventTimeAndStartsTheRangeAtTheFirstKept() {
        List<EventAt> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(event(100 + i, 10_000 + i, i, i % 2 == 0 ? "pos" : "neg"));
        }
        TrainingWindow window = WindowAssembler.assemble(RetrainFixtures.SCHEMA, events, List.of(), RANGES, 4, false,
                Map.of());

        assertThat(window.size()).isEqualTo(4);
        assertThat(window.times()).containsExactly(10_006, 10_007, 10_008, 10_009);
        assertThat(window.dataVersion().events()).containsExactly(new OffsetRange("events", 0, 106, 110));
        assertThat(window.dataVersion().labels()).isEqualTo(RANGES.labels());

        List<EventAt> reread = events.subList(6, 10);
        TrainingWindow again = WindowAssembler.assemble(RetrainFixtures.SCHEMA, reread, List.of(),
                window.dataVersion(), 4, false, Map.of());
        assertThat(again.features()).as("the narrowed ranges hold the same rows").isDeepEqualTo(window.features());
    }

    @Test
    void theSchemaVersionFollowsTheSchema() {
        String version = DataVersion.schemaVersion(RetrainFixtures.SCHEMA);
        assertThat(version).hasSize(16).isEqualTo(DataVersion.schemaVersion(RetrainFixtures.SCHEMA));
        assertThat(DataVersion.schemaVersion(RetrainFixtures.SCHEMA.withModel("other"))).isNotEqualTo(version);
    }
}
