package io.streamlearn.retrain.kafka;

import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.Label;
import io.streamlearn.core.event.PredictionReader;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.retrain.RetrainConfig;
import io.streamlearn.retrain.run.RetrainRequest;
import io.streamlearn.retrain.run.RunPorts.WindowSource;
import io.streamlearn.retrain.run.TrainingFailedException;
import io.streamlearn.retrain.window.DataVersion;
import io.streamlearn.retrain.window.OffsetRange;
import io.streamlearn.retrain.window.SourceRecord.EventAt;
import io.streamlearn.retrain.window.SourceRecord.LabelAt;
import io.streamlearn.retrain.window.TrainingWindow;
import io.streamlearn.retrain.window.WindowAssembler;
import io.streamlearn.retrain.window.WindowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a run's window back from {@code events} and {@code labels} by offsets: a {@code read_committed} consumer
 * without a group (assign and seek), bounded by the end offsets taken when the run starts. Only the model's events
 * (key = model) are decoded. Labels are read from {@code retrain.labels.lookback.ms} before the window's first
 * event on, since a label follows its event; the online model's predictions for the window's events from its first
 * event on.
 */
public final class WindowReader implements WindowSource {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final RetrainConfig config;
    private final EventCodec codec = new EventCodec();

    public WindowReader(RetrainConfig config) {
        this.config = config;
    }

    private record Ranges(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
    }

    private record Read(List<EventAt> events, List<LabelAt> labels, DataVersion version) {
    }

    @Override
    public TrainingWindow read(String model, FeatureSchema schema, List<RetrainRequest> trigger)
            throws TrainingFailedException {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaClients.consumer(config, "streamlearn-retrainer-window-" + model))) {
            List<TopicPartition> partitions = partitions(consumer, config.eventsTopic());
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            String schemaVersion = DataVersion.schemaVersion(schema);
            Optional<RetrainRequest> drift = trigger.stream().filter(RetrainRequest::hasDriftPoint)
                    .max(Comparator.comparingLong(r -> r.fromTime() == null ? r.requestedAt() : r.fromTime()));
            TrainingWindow window;
            if (config.windowPolicy() == WindowPolicy.SINCE_DRIFT && drift.isPresent()) {
                Read read = read(consumer, model, new Ranges(driftStarts(consumer, drift.get(), begin, end), end),
                        schemaVersion);
                window = WindowAssembler.labelledRows(read.events(), read.labels()) >= config.windowMinRows()
                        ? assemble(consumer, model, schema, read.events(), read.labels(), read.version(),
                                config.windowMaxRows(), false)
                        : readBack(consumer, model, schema, schemaVersion, begin, end, config.windowMinRows(), true);
            } else {
                window = readBack(consumer, model, schema, schemaVersion, begin, end, config.windowMaxRows(), false);
            }
            return checked(window, model);
        }
    }

    /** The window of a data version read again: the same rows, the same order, the same encoding. */
    public TrainingWindow reread(String model, FeatureSchema schema, DataVersion version, int maxRows) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaClients.consumer(config, "streamlearn-retrainer-reread-" + model))) {
            List<EventAt> events = readEvents(consumer, model, ranges(version.events()));
            List<LabelAt> labels = readLabels(consumer, model, ranges(version.labels()));
            return assemble(consumer, model, schema, events, labels, version, maxRows, false);
        }
    }

    private TrainingWindow checked(TrainingWindow window, String model) throws TrainingFailedException {
        if (window.size() == 0 && window.unlabelled() > 0) {
            throw new TrainingFailedException("no_labels", "none of the " + window.unlabelled() + " events of model '"
                    + model + "' in the window has a label");
        }
        if (window.size() < config.windowMinRows()) {
            throw new TrainingFailedException("too_few_rows", "the window holds " + window.size()
                    + " labelled rows of model '" + model + "', fewer than retrain.window.min-rows ("
                    + config.windowMinRows() + ")");
        }
        return window;
    }

    /**
     * The newest {@code target} labelled rows: reads back from the end in growing steps until it has them or
     * reaches the beginning of every partition.
     */
    private TrainingWindow readBack(KafkaConsumer<String, byte[]> consumer, String model, FeatureSchema schema,
            String schemaVersion, Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end, int target,
            boolean widened) {
        long step = Math.max(target, 1000L);
        while (true) {
            Map<TopicPartition, Long> from = new HashMap<>();
            boolean atBeginning = true;
            for (TopicPartition partition : end.keySet()) {
                long start = Math.max(begin.get(partition), end.get(partition) - step);
                from.put(partition, start);
                atBeginning &= start == begin.get(partition);
            }
            Read read = read(consumer, model, new Ranges(from, end), schemaVersion);
            if (atBeginning || WindowAssembler.labelledRows(read.events(), read.labels()) >= target) {
                return assemble(consumer, model, schema, read.events(), read.labels(), read.version(), target,
                        widened);
            }
            step *= 4;
        }
    }

    private TrainingWindow assemble(KafkaConsumer<String, byte[]> consumer, String model, FeatureSchema schema,
            List<EventAt> events, List<LabelAt> labels, DataVersion version, int maxRows, boolean widened) {
        return WindowAssembler.assemble(schema, events, labels, version, maxRows, widened,
                recordedPredictions(consumer, model, schema, events));
    }

    /**
     * The online model's predictions for these events by event id: the trainer's records on {@code predictions}
     * (those without a {@code source}), read from the first event's time to the end offsets taken now. The trainer
     * writes each before it learns the event, in the transaction that consumes it. An id predicted twice (an id
     * reused by the producer) is left out, as is everything when the topic does not exist.
     */
    private Map<String, Prediction> recordedPredictions(KafkaConsumer<String, byte[]> consumer, String model,
            FeatureSchema schema, List<EventAt> events) {
        List<TopicPartition> partitions = partitions(consumer, config.predictionsTopic());
        if (events.isEmpty() || partitions.isEmpty() || !schema.task().retrainable()) {
            return Map.of();
        }
        Set<String> ids = new HashSet<>();
        events.forEach(at -> ids.add(at.event().id()));
        long first = events.stream().mapToLong(EventAt::recordTimestamp).min().orElseThrow();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, first));
        Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> from = new HashMap<>();
        partitions.forEach(partition -> from.put(partition, Optional.ofNullable(byTime.get(partition))
                .map(OffsetAndTimestamp::offset).orElse(end.get(partition))));
        PredictionReader reader = new PredictionReader(EventCodec.DEFAULT_MAX_RECORD_BYTES, codec.json());
        Map<String, Prediction> byId = new HashMap<>();
        Set<String> repeated = new HashSet<>();
        readRanges(consumer, new Ranges(from, end), record -> {
            if (record.key() != null && !record.key().equals(model)) {
                return;
            }
            try {
                PredictionReader.Read read = reader.read(record.value(), record.key(), record.timestamp());
                Prediction prediction = read.model().equals(model) && read.source().equals(PredictionReader.TRAINER)
                        && ids.contains(read.id()) ? read.asPrediction(schema) : null;
                if (prediction != null && byId.putIfAbsent(read.id(), prediction) != null) {
                    repeated.add(read.id());
                }
            } catch (InvalidRecordException e) {
                // Not a prediction the trainer wrote: such rows are scored by the restored snapshot.
            }
        });
        repeated.forEach(byId::remove);
        return byId;
    }

    /** The drift's partition from its offset; the others from the drift's time (offsetsForTimes). */
    private Map<TopicPartition, Long> driftStarts(KafkaConsumer<String, byte[]> consumer, RetrainRequest drift,
            Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> times = new HashMap<>();
        end.keySet().forEach(partition -> times.put(partition, drift.fromTime() == null ? 0 : drift.fromTime()));
        Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> starts = new HashMap<>();
        for (TopicPartition partition : end.keySet()) {
            long start = partition.partition() == drift.partition() ? drift.fromOffset()
                    : Optional.ofNullable(byTime.get(partition)).map(OffsetAndTimestamp::offset)
                            .orElse(end.get(partition));
            starts.put(partition, Math.min(Math.max(start, begin.get(partition)), end.get(partition)));
        }
        return starts;
    }

    private Read read(KafkaConsumer<String, byte[]> consumer, String model, Ranges eventRanges, String schemaVersion) {
        List<EventAt> events = readEvents(consumer, model, eventRanges);
        List<TopicPartition> labelPartitions = partitions(consumer, config.labelsTopic());
        Map<TopicPartition, Long> labelEnd = consumer.endOffsets(labelPartitions);
        long firstRecord = events.stream().mapToLong(EventAt::recordTimestamp).min().orElse(Long.MAX_VALUE);
        Map<TopicPartition, Long> labelFrom = new HashMap<>();
        if (firstRecord == Long.MAX_VALUE) {
            labelFrom.putAll(labelEnd);
        } else {
            Map<TopicPartition, Long> times = new HashMap<>();
            labelPartitions.forEach(p -> times.put(p, Math.max(0, firstRecord - config.labelsLookback().toMillis())));
            Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(times);
            labelPartitions.forEach(p -> labelFrom.put(p, Optional.ofNullable(byTime.get(p))
                    .map(OffsetAndTimestamp::offset).orElse(labelEnd.get(p))));
        }
        Ranges labelRanges = new Ranges(labelFrom, labelEnd);
        List<LabelAt> labels = readLabels(consumer, model, labelRanges);
        return new Read(events, labels, new DataVersion(offsetRanges(eventRanges), offsetRanges(labelRanges),
                schemaVersion));
    }

    private List<EventAt> readEvents(KafkaConsumer<String, byte[]> consumer, String model, Ranges ranges) {
        List<EventAt> events = new ArrayList<>();
        readRanges(consumer, ranges, record -> {
            if (record.key() != null && !record.key().equals(model)) {
                return;
            }
            try {
                Event event = codec.decodeEvent(record.value(), record.key(), record.timestamp());
                if (event.model().equals(model)) {
                    events.add(new EventAt(record.partition(), record.offset(), record.timestamp(), event));
                }
            } catch (InvalidRecordException e) {
                // The trainer sends such events to its dead-letter topic; they are not training data either.
            }
        });
        return events;
    }

    private List<LabelAt> readLabels(KafkaConsumer<String, byte[]> consumer, String model, Ranges ranges) {
        List<LabelAt> labels = new ArrayList<>();
        readRanges(consumer, ranges, record -> {
            if (record.key() != null && !record.key().equals(model)) {
                return;
            }
            try {
                Label label = codec.decodeLabel(record.value(), record.key());
                if (label.model().equals(model)) {
                    labels.add(new LabelAt(record.partition(), record.offset(), label));
                }
            } catch (InvalidRecordException e) {
                // As the trainer: an unreadable label record labels nothing.
            }
        });
        return labels;
    }

    /** Reads every partition of {@code ranges} from its start up to (excluding) its end, in offset order. */
    private static void readRanges(KafkaConsumer<String, byte[]> consumer, Ranges ranges,
            Consumer<ConsumerRecord<String, byte[]>> sink) {
        List<TopicPartition> open = new ArrayList<>();
        ranges.from().forEach((partition, from) -> {
            if (from < ranges.to().get(partition)) {
                open.add(partition);
            }
        });
        consumer.assign(open);
        open.forEach(partition -> consumer.seek(partition, ranges.from().get(partition)));
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (!open.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + open + " did not reach the end offsets within "
                        + READ_TIMEOUT);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < ranges.to().get(partition)) {
                    sink.accept(record);
                }
            }
            open.removeIf(partition -> consumer.position(partition) >= ranges.to().get(partition));
            consumer.assign(open);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        return infos == null ? List.of() : infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    private static Ranges ranges(List<OffsetRange> ranges) {
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> to = new HashMap<>();
        ranges.forEach(range -> {
            TopicPartition partition = new TopicPartition(range.topic(), range.partition());
            from.put(partition, range.fromOffset());
            to.put(partition, range.toOffset());
        });
        return new Ranges(from, to);
    }

    private static List<OffsetRange> offsetRanges(Ranges ranges) {
        return ranges.from().entrySet().stream()
                .map(e -> new OffsetRange(e.getKey().topic(), e.getKey().partition(), e.getValue(),
                        ranges.to().get(e.getKey())))
                .sorted(Comparator.comparingInt(OffsetRange::partition))
                .toList();
    }
}
