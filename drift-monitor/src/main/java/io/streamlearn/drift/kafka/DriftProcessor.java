package io.streamlearn.drift.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.event.RejectReason;
import io.streamlearn.drift.json.DriftJson;
import io.streamlearn.drift.metrics.DriftMetrics;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feeds each event of a model to that model's {@link FeatureDriftMonitor} and emits what it confirms: every alert, and
 * one retraining request per window that confirmed any. The monitors (sketches and signals) live in this task's
 * memory; only each model's position (its event count) is in a changelogged store, so positions survive a restart
 * while windows start afresh (docs/drift.md, "Running it").
 */
final class DriftProcessor implements FixedKeyProcessor<String, byte[], DriftOutput> {

    private final EventCodec codec;
    private final MonitorSettings settings;
    private final DriftMetrics metrics;
    private final LatestReports reports;
    private final DriftJson json = new DriftJson();
    private final Map<String, FeatureDriftMonitor> monitors = new HashMap<>();
    private FixedKeyProcessorContext<String, DriftOutput> context;
    private KeyValueStore<String, Long> positions;

    DriftProcessor(int maxRecordBytes, MonitorSettings settings, DriftMetrics metrics, LatestReports reports) {
        this.codec = new EventCodec(maxRecordBytes);
        this.settings = settings;
        this.metrics = metrics;
        this.reports = reports;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, DriftOutput> context) {
        this.context = context;
        this.positions = context.getStateStore(DriftMonitorTopology.POSITION_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        Event event;
        Map<String, Object> values;
        try {
            event = codec.decodeEvent(record.value(), record.key(), record.timestamp());
            values = values(event.features());
        } catch (InvalidRecordException e) {
            metrics.invalidEvent(e.reason().code());
            return;
        }
        String model = event.model();
        Long previous = positions.get(model);
        long position = previous == null ? 1 : previous + 1;
        positions.put(model, position);
        metrics.eventObserved(model);
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        FeatureDriftMonitor monitor = monitors.computeIfAbsent(model,
                name -> new FeatureDriftMonitor(name, DriftKind.FEATURE, settings));
        List<DriftAlert> alerts = monitor.observe(
                new Observation(position, origin.partition(), origin.offset(), event.timestamp(), values));
        monitor.latest().filter(r -> r.current().toPosition() == position).ifPresent(report -> {
            reports.publish(report);
            metrics.window(report);
        });
        if (alerts.isEmpty()) {
            return;
        }
        for (DriftAlert alert : alerts) {
            metrics.alert(alert);
            context.forward(record.withValue(new DriftOutput(DriftOutput.Target.ALERT, json.bytes(json.alert(alert)))));
        }
        context.forward(record.withValue(
                new DriftOutput(DriftOutput.Target.RETRAIN_REQUEST, json.bytes(json.retrainRequest(alerts)))));
    }

    /**
     * The raw feature values, as the monitor takes them: a JSON number is numeric, a string (or boolean) nominal, null
     * missing. Feature types are then fixed by the model's reference window, not by a schema.
     */
    static Map<String, Object> values(JsonNode features) throws InvalidRecordException {
        Map<String, Object> values = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = features.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNumber()) {
                values.put(field.getKey(), value.doubleValue());
            } else if (value.isTextual() || value.isBoolean()) {
                values.put(field.getKey(), value.asText());
            } else if (value.isNull()) {
                values.put(field.getKey(), null);
            } else {
                throw new InvalidRecordException(RejectReason.WRONG_TYPE, field.getKey(),
                        "feature '" + field.getKey() + "' is neither a number, a string nor null");
            }
        }
        return values;
    }
}
