package io.streamlearn.drift.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.Label;
import io.streamlearn.core.event.PredictionReader;
import io.streamlearn.core.event.RawFeatures;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.core.model.SnapshotSigning;
import io.streamlearn.drift.DriftMonitorConfig;
import io.streamlearn.drift.json.DriftJson;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.ConceptDriftMonitor;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's one per-record step, on {@code events}, {@code predictions} and {@code labels} together (all keyed by
 * model, so a model's records meet in one task): events feed the model's feature windows, predictions the windows of
 * their source, and trainer predictions joined with labels (inline or late, {@link LabelJoin}) the concept detectors.
 * Emits every alert, and one retraining request per record that confirmed any. All state is in changelogged stores
 * ({@link ModelMonitors}), so alerts, state and input offsets commit together. Unreadable records are counted by
 * topic and reason, and skipped.
 */
final class DriftProcessor implements FixedKeyProcessor<String, byte[], DriftOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(DriftProcessor.class);
    /** Unforeseen record failures and refused models logged, each; all are counted. */
    private static final int MAX_FAILURES_LOGGED = 20;

    private final EventCodec codec;
    private final PredictionReader predictionReader;
    private final DriftMonitorConfig config;
    private final MonitorSettings settings;
    private final BlobChunking chunking;
    private final SnapshotSigning signing;
    private final DriftMetrics metrics;
    private final LatestReports reports;
    private final DriftJson json = new DriftJson();
    private final Map<String, ModelMonitors> models = new HashMap<>();
    private FixedKeyProcessorContext<String, DriftOutput> context;
    private Positions positions;
    private KeyValueStore<String, byte[]> state;
    private ReadOnlyKeyValueStore<String, byte[]> batchModels;
    private ReadOnlyKeyValueStore<String, byte[]> trainingReferences;
    /** Models whose training rows could not be the reference, logged once each. */
    private final Set<String> fellBack = new HashSet<>();
    private LabelJoin join;
    private final Set<String> declaredModels;
    private final int maxModels;
    private int failuresLogged;
    private int refusedModelsLogged;

    private final ModelCatalog catalog;

    DriftProcessor(DriftMonitorConfig config, ModelCatalog catalog, DriftMetrics metrics, LatestReports reports) {
        this.catalog = catalog;
        this.codec = new EventCodec(config.maxRecordBytes());
        this.predictionReader = new PredictionReader(config.maxRecordBytes(), codec.json());
        this.config = config;
        this.settings = config.monitorSettings();
        this.chunking = config.chunking();
        this.signing = config.snapshotSigning();
        this.metrics = metrics;
        this.reports = reports;
        this.declaredModels = config.declaredModels();
        this.maxModels = config.maxModels();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, DriftOutput> context) {
        this.context = context;
        this.positions = new Positions(context.getStateStore(DriftMonitorTopology.POSITION_STORE));
        this.state = context.getStateStore(DriftMonitorTopology.STATE_STORE);
        this.batchModels = context.getStateStore(DriftMonitorTopology.BATCH_MODEL_STORE);
        this.trainingReferences = context.getStateStore(DriftMonitorTopology.TRAINING_REFERENCE_STORE);
        KeyValueStore<String, byte[]> pending = context.getStateStore(DriftMonitorTopology.PENDING_STORE);
        this.join = new LabelJoin(pending, config.pendingMax(), config.pendingMaxBytes(), config.pendingTtlMillis(),
                (model, reason, prediction) -> metrics.pendingDropped(model,
                        reason.name().toLowerCase(Locale.ROOT), prediction ? "prediction" : "label"));
    }

    /**
     * One record of any input topic. A record that fails in a way no validation foresaw is counted (by topic and
     * exception class) and skipped rather than ending the Streams client: on restart it would be read again, and
     * the monitor would fail on it for ever. Errors such as {@code OutOfMemoryError} are not caught: they end the
     * client, which the application reports as a failed part (liveness fails).
     */
    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        String topic = origin.topic();
        try {
            if (topic.equals(config.predictionsTopic())) {
                onPrediction(record, origin);
            } else if (topic.equals(config.labelsTopic())) {
                onLabel(record);
            } else {
                onEvent(record, origin);
            }
        } catch (KafkaException e) {
            // Kafka's own (a migrated task, a fenced producer, a store that cannot write): Streams must handle them.
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            metrics.recordFailed(topic, e.getClass().getSimpleName());
            if (failuresLogged++ < MAX_FAILURES_LOGGED) {
                LOG.warn("Skipped the record at {}-{}@{} (key {}): {} (counted in streamlearn.drift.record.failures; "
                        + "the first {} are logged)", topic, origin.partition(), origin.offset(),
                        EventCodec.abbreviate(String.valueOf(record.key())), e.toString(), MAX_FAILURES_LOGGED, e);
            }
        }
    }

    /**
     * Whether records of {@code model} are monitored: a model named in {@code drift.models} when that is set; else,
     * once the definitions topic holds any record, a defined model; else any model; in the last two cases while
     * fewer than {@code drift.max.models} are. Records of others are counted as {@code unknown_model}. A model
     * monitored here and since deleted from the definitions topic is forgotten (its windows, meters and reports).
     */
    private boolean admitted(String model) {
        boolean following = declaredModels.isEmpty() && !catalog.isEmpty();
        if (models.containsKey(model)) {
            if (!following || catalog.isDefined(model)) {
                return true;
            }
            forget(model);
        }
        if (declaredModels.isEmpty()
                ? models.size() < maxModels && (!following || catalog.isDefined(model))
                : declaredModels.contains(model)) {
            return true;
        }
        if (refusedModelsLogged++ < MAX_FAILURES_LOGGED) {
            LOG.warn("Records of model '{}' are not monitored: {} (counted with reason unknown_model; the first {} "
                    + "such models are logged)", EventCodec.abbreviate(model), !declaredModels.isEmpty()
                    ? "it is not listed in drift.models"
                    : following && !catalog.isDefined(model) ? "it is not defined on the definitions topic"
                    : "the monitor already watches drift.max.models = " + maxModels + " models", MAX_FAILURES_LOGGED);
        }
        return false;
    }

    private void onEvent(FixedKeyRecord<String, byte[]> record, RecordMetadata origin) {
        Event event;
        Map<String, Object> values;
        Object label;
        try {
            event = codec.decodeEvent(record.value(), record.key(), record.timestamp());
            values = RawFeatures.of(event.features());
            label = event.hasLabel() ? labelValue(event.label()) : null;
        } catch (InvalidRecordException e) {
            metrics.invalidEvent(e.reason().code());
            return;
        }
        String model = event.model();
        if (!admitted(model)) {
            metrics.invalidEvent(RejectReason.UNKNOWN_MODEL.code());
            return;
        }
        ModelMonitors monitors = monitors(model);
        long position = positions.next(model);
        metrics.eventObserved(model);
        Observation at = new Observation(position, origin.partition(), origin.offset(), event.timestamp(),
                bounded(model, monitors.features().monitor(), values));
        long unmonitored = monitors.features().monitor().unmonitoredValues();
        List<DriftAlert> alerts = monitors.features().observe(at);
        metrics.unmonitoredValues(model, monitors.features().monitor().unmonitoredValues() - unmonitored);
        publish(monitors.features().monitor(), position, "trainer");
        if (label != null) {
            alerts = concat(alerts, join.label(model, event.id(), label, event.timestamp())
                    .map(joined -> outcome(monitors, joined)).orElse(List.of()));
        }
        emit(record, alerts);
    }

    private void onPrediction(FixedKeyRecord<String, byte[]> record, RecordMetadata origin) {
        PredictionReader.Read prediction;
        try {
            prediction = predictionReader.read(record.value(), record.key(), record.timestamp());
            if (!ModelMonitors.SOURCES.contains(prediction.source())) {
                throw new InvalidRecordException(RejectReason.WRONG_TYPE, "source",
                        "'source' must be absent (the trainer) or 'serving'");
            }
        } catch (InvalidRecordException e) {
            metrics.invalidPrediction(e.reason().code());
            return;
        }
        String model = prediction.model();
        String source = prediction.source();
        if (!admitted(model)) {
            metrics.invalidPrediction(RejectReason.UNKNOWN_MODEL.code());
            return;
        }
        ModelMonitors monitors = monitors(model);
        long position = positions.next(model + "\0prediction\0" + source);
        metrics.predictionObserved(model, source);
        // Served predictions get their own feature names, so their alerts and gauges never mix with the trainer's.
        String prefix = source.equals(PredictionReader.TRAINER) ? "" : source + ".";
        Map<String, Object> values = new HashMap<>();
        values.put(prefix + "prediction", prediction.prediction());
        prediction.scores().forEach((label, score) -> values.put(prefix + "score." + label, score));
        DurableMonitor<FeatureDriftMonitor> windows = monitors.predictions(source);
        Observation at = new Observation(position, origin.partition(), origin.offset(), prediction.timestamp(),
                bounded(model, windows.monitor(), values));
        List<DriftAlert> alerts = windows.observe(at);
        publish(windows.monitor(), position, source);
        if (source.equals(PredictionReader.TRAINER)) {
            Observation where = new Observation(position, origin.partition(), origin.offset(), prediction.timestamp(),
                    Map.of());
            alerts = concat(alerts, join.prediction(model, prediction.id(), prediction.prediction(), where)
                    .map(joined -> outcome(monitors, joined)).orElse(List.of()));
        }
        emit(record, alerts);
    }

    private void onLabel(FixedKeyRecord<String, byte[]> record) {
        Label label;
        Object value;
        try {
            label = codec.decodeLabel(record.value(), record.key());
            value = labelValue(label.label());
        } catch (InvalidRecordException e) {
            metrics.invalidLabel(e.reason().code());
            return;
        }
        if (!admitted(label.model())) {
            metrics.invalidLabel(RejectReason.UNKNOWN_MODEL.code());
            return;
        }
        ModelMonitors monitors = monitors(label.model());
        emit(record, join.label(label.model(), label.id(), value, record.timestamp())
                .map(joined -> outcome(monitors, joined)).orElse(List.of()));
    }

    /** Feeds one labelled prediction to the concept detectors: a miss for a class, a residual for a value. */
    private List<DriftAlert> outcome(ModelMonitors monitors, LabelJoin.Joined joined) {
        Map<String, Object> values;
        if (joined.prediction() instanceof Double predicted) {
            if (!(joined.label() instanceof Double actual)) {
                metrics.invalidLabel(RejectReason.INVALID_LABEL.code());
                return List.of();
            }
            values = Map.of(ModelMonitors.RESIDUAL, actual - predicted);
        } else if (joined.prediction() == null) {
            return List.of();
        } else {
            // A numeric label of a nominal target arrives as its class name's text (e.g. 1 for class "1").
            String actual = joined.label() instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue())
                    : String.valueOf(joined.label());
            values = Map.of(ModelMonitors.WRONG, joined.prediction().equals(actual) ? 0.0 : 1.0);
        }
        Observation at = joined.at();
        DurableMonitor<ConceptDriftMonitor> concept = monitors.concept();
        ConceptDriftMonitor monitor = concept.monitor();
        long outcomes = monitor.outcomes();
        long errors = monitor.errors();
        List<DriftAlert> alerts = concept.observe(
                new Observation(at.position(), at.partition(), at.offset(), at.timestamp(), values));
        metrics.outcomes(monitors.model(), monitor.outcomes() - outcomes, monitor.errors() - errors,
                monitor.estimations());
        reports.concept(monitors.model(), new LatestReports.ConceptStatus(monitor.outcomes(), monitor.errors(),
                monitor.estimations()));
        return alerts;
    }

    /** A model deleted from the definitions topic: no longer monitored by this task, its meters gone. */
    private void forget(String model) {
        models.remove(model);
        metrics.forget(model, true);
        LOG.info("Model '{}' was deleted from the definitions topic: no longer monitored", model);
    }

    /** The task moves to another instance or ends: that instance's gauges speak for these models from now on. */
    @Override
    public void close() {
        models.keySet().forEach(model -> metrics.forget(model, false));
    }

    private ModelMonitors monitors(String model) {
        ModelMonitors monitors = models.computeIfAbsent(model, name -> {
            ModelMonitors loaded = new ModelMonitors(name, state, chunking, settings, config.snapshotRecords());
            if (loaded.restored()) {
                metrics.stateRestored(name);
            }
            return loaded;
        });
        ModelMonitors.Promotion promotion = monitors.promote(BatchModels.version(batchModels, model, signing),
                trainingReferences::get);
        if (promotion.moved()) {
            metrics.referenceReset(model);
        }
        promotion.fallback().ifPresent(reason -> {
            metrics.referenceFallback(model, reason);
            if (fellBack.add(model)) {
                LOG.warn("Model '{}': the training rows of its new batch version are not available ({}); its feature "
                        + "reference is rebuilt from the next {} events instead (logged once per model, counted in "
                        + "streamlearn.drift.reference.fallbacks)", model, reason, settings.referenceSize());
            }
        });
        return monitors;
    }

    /** The values {@link FeatureDriftMonitor#bounded} keeps; those it leaves out are counted as unmonitored. */
    private Map<String, Object> bounded(String model, FeatureDriftMonitor monitor, Map<String, Object> values) {
        Map<String, Object> kept = monitor.bounded(values, settings.maxFeatures());
        if (kept.size() < values.size()) {
            metrics.unmonitoredValues(model, values.size() - kept.size());
        }
        return kept;
    }

    private void publish(FeatureDriftMonitor monitor, long position, String source) {
        monitor.latest().filter(r -> r.current().toPosition() == position).ifPresent(report -> {
            reports.publish(report, source);
            metrics.window(report);
        });
    }

    private void emit(FixedKeyRecord<String, byte[]> record, List<DriftAlert> alerts) {
        if (alerts.isEmpty()) {
            return;
        }
        for (DriftAlert alert : alerts) {
            metrics.alert(alert);
            reports.alert(alert);
            context.forward(record.withValue(new DriftOutput(DriftOutput.Target.ALERT, json.bytes(json.alert(alert)))));
        }
        String model = alerts.get(0).model();
        // A defined cluster model's drift is alerted only: its retrain could but fail (docs/retraining.md).
        if (catalog.find(model).map(definition -> definition.schema().task().retrainable()).orElse(true)) {
            metrics.retrainRequest(model);
            context.forward(record.withValue(
                    new DriftOutput(DriftOutput.Target.RETRAIN_REQUEST, json.bytes(json.retrainRequest(alerts)))));
        }
    }

    private static List<DriftAlert> concat(List<DriftAlert> first, List<DriftAlert> second) {
        if (second.isEmpty()) {
            return first;
        }
        if (first.isEmpty()) {
            return second;
        }
        List<DriftAlert> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** A label as the join compares it: a number, or the class name as text. */
    private static Object labelValue(JsonNode label) throws InvalidRecordException {
        if (label.isNumber() && Double.isFinite(label.doubleValue())) {
            return label.doubleValue();
        }
        if (label.isTextual() || label.isBoolean()) {
            return label.asText();
        }
        throw new InvalidRecordException(RejectReason.INVALID_LABEL, "label", "a label is a class name or a number");
    }
}
