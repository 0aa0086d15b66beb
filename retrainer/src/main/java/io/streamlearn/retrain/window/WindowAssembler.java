package io.streamlearn.retrain.window;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RawFeatures;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.model.TrainingReference;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.retrain.window.SourceRecord.EventAt;
import io.streamlearn.retrain.window.SourceRecord.LabelAt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins the events read from their offset ranges with their labels (inline, or the first record on {@code labels}
 * with the same id) and encodes them with core's {@link FeatureEncoder}: the one feature pipeline of the online path.
 * The same code assembles a window the first time and when its data version is read again, which is what makes a run
 * reproducible.
 */
public final class WindowAssembler {

    private static final Comparator<Row> STREAM_ORDER = Comparator.comparingLong(Row::time)
            .thenComparingInt(Row::partition).thenComparingLong(Row::offset);

    private WindowAssembler() {
    }

    private record Row(int partition, long offset, long time, double[] features, double label,
            TrainingReference.Row source, Prediction recorded) {
    }

    /**
     * The window of the newest {@code maxRows} labelled rows among {@code events}, the event ranges narrowed to the
     * rows kept.
     *
     * @param events   the model's events in {@code ranges.events()}
     * @param labels   the model's labels in {@code ranges.labels()}, in offset order per partition
     * @param ranges   the ranges read, with the schema version
     * @param recorded the online model's predictions by event id, as the trainer made them before learning each event
     */
    public static TrainingWindow assemble(FeatureSchema schema, List<EventAt> events, List<LabelAt> labels,
            DataVersion ranges, int maxRows, boolean widened, Map<String, Prediction> recorded) {
        Map<String, JsonNode> labelById = new HashMap<>();
        for (LabelAt label : labels) {
            labelById.putIfAbsent(label.label().id(), label.label().label());
        }
        FeatureEncoder encoder = new FeatureEncoder(schema);
        List<Row> rows = new ArrayList<>();
        long skipped = 0;
        long unlabelled = 0;
        for (EventAt at : events) {
            JsonNode label = at.event().hasLabel() ? at.event().label() : labelById.get(at.event().id());
            if (label == null || label.isNull()) {
                unlabelled++;
                continue;
            }
            try {
                rows.add(new Row(at.partition(), at.offset(), at.event().timestamp(),
                        encoder.encodeFeatures(at.event().features()), encoder.encodeLabel(label), source(at),
                        recorded.get(at.event().id())));
            } catch (InvalidRecordException e) {
                skipped++;
            }
        }
        rows.sort(STREAM_ORDER);
        List<Row> kept = rows.size() > maxRows ? rows.subList(rows.size() - maxRows, rows.size()) : rows;
        return new TrainingWindow(schema, kept.stream().map(Row::features).toArray(double[][]::new),
                kept.stream().mapToDouble(Row::label).toArray(), kept.stream().mapToLong(Row::time).toArray(),
                narrowed(ranges, kept, rows.size() > maxRows), skipped, unlabelled, widened,
                kept.stream().map(Row::source).toList(), kept.stream().map(Row::recorded).toList());
    }

    /** The row as the drift monitor reads it; {@code null} when the monitor would refuse the event. */
    private static TrainingReference.Row source(EventAt at) {
        try {
            return new TrainingReference.Row(at.partition(), at.offset(), at.event().timestamp(),
                    RawFeatures.of(at.event().features()));
        } catch (InvalidRecordException e) {
            return null;
        }
    }

    /** The labelled rows among {@code events}, without building a window: how a reader decides to read further back. */
    public static int labelledRows(List<EventAt> events, List<LabelAt> labels) {
        Set<String> ids = new HashSet<>();
        labels.forEach(label -> ids.add(label.label().id()));
        int count = 0;
        for (EventAt at : events) {
            if (at.event().hasLabel() || ids.contains(at.event().id())) {
                count++;
            }
        }
        return count;
    }

    /** When rows were dropped, each event range starts at the first row kept in its partition. */
    private static DataVersion narrowed(DataVersion ranges, List<Row> kept, boolean trimmed) {
        if (!trimmed) {
            return ranges;
        }
        Map<Integer, Long> first = new HashMap<>();
        kept.forEach(row -> first.merge(row.partition(), row.offset(), Math::min));
        List<OffsetRange> events = ranges.events().stream()
                .map(range -> new OffsetRange(range.topic(), range.partition(),
                        first.getOrDefault(range.partition(), range.toOffset()), range.toOffset()))
                .toList();
        return new DataVersion(events, ranges.labels(), ranges.schemaVersion());
    }
}
