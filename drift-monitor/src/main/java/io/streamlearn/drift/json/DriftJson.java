package io.streamlearn.drift.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.drift.statistics.FeatureDrift;
import io.streamlearn.drift.statistics.Histogram;
import io.streamlearn.drift.statistics.Statistic;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.LatestReports;
import io.streamlearn.drift.window.WindowBounds;
import io.streamlearn.drift.window.WindowReport;
import java.util.List;

/**
 * The JSON of the {@code drift-alerts} and {@code retrain-requests} topics and of the latest window report. A value
 * that does not exist (a detector's threshold, an ungated p-value) is written as {@code null}, never as NaN, which
 * JSON has no token for.
 */
public final class DriftJson {

    private final ObjectMapper json = new ObjectMapper();

    public ObjectNode alert(DriftAlert alert) {
        ObjectNode node = json.createObjectNode();
        node.put("model", alert.model());
        node.put("kind", alert.kind().code());
        node.put("feature", alert.feature());
        node.put("statistic", alert.statistic());
        number(node, "value", alert.value());
        number(node, "threshold", alert.threshold());
        number(node, "pValue", alert.pValue());
        node.put("severity", alert.severity());
        node.set("reference", bounds(alert.reference()));
        node.set("current", bounds(alert.current()));
        return node;
    }

    /**
     * One request per window that confirmed drifts: retrain {@code model} on data from {@code fromPosition} (the
     * start of the drifting window) on, because of {@code alerts}.
     */
    public ObjectNode retrainRequest(List<DriftAlert> alerts) {
        DriftAlert first = alerts.get(0);
        ObjectNode node = json.createObjectNode();
        node.put("model", first.model());
        node.put("reason", "drift");
        node.put("fromPosition", first.current().fromPosition());
        node.put("partition", first.current().partition());
        node.put("fromOffset", first.current().fromOffset());
        node.put("fromTime", first.current().fromTime());
        node.put("detectedAtPosition", first.current().toPosition());
        node.put("detectedAtTime", first.current().toTime());
        ArrayNode causes = node.putArray("alerts");
        alerts.forEach(a -> causes.addObject().put("kind", a.kind().code()).put("feature", a.feature())
                .put("statistic", a.statistic()).put("severity", a.severity()));
        return node;
    }

    /**
     * Everything known of one model: its latest feature report's fields at the top level, then {@code predictions}
     * (the latest report per source), {@code concept} (labelled predictions, misses, each detector's estimate) and
     * {@code alerts} (the last ones, oldest first).
     */
    public ObjectNode model(String model, LatestReports reports) {
        ObjectNode node = reports.of(model).map(this::report).orElseGet(() -> json.createObjectNode().put("model", model));
        ObjectNode predictions = node.putObject("predictions");
        reports.predictions(model).forEach((source, report) -> predictions.set(source, report(report)));
        reports.concept(model).ifPresentOrElse(concept -> {
            ObjectNode c = node.putObject("concept").put("outcomes", concept.outcomes()).put("errors", concept.errors());
            number(c, "errorRate", concept.outcomes() == 0 ? Double.NaN : (double) concept.errors() / concept.outcomes());
            ObjectNode detectors = c.putObject("detectors");
            concept.estimations().forEach((detector, estimate) -> number(detectors, detector, estimate));
        }, () -> node.putNull("concept"));
        ArrayNode alerts = node.putArray("alerts");
        reports.alerts(model).forEach(alert -> alerts.add(alert(alert)));
        return node;
    }

    public ObjectNode report(WindowReport report) {
        ObjectNode node = json.createObjectNode();
        node.put("model", report.model());
        node.put("kind", report.kind().code());
        node.set("reference", bounds(report.reference()));
        node.set("current", bounds(report.current()));
        number(node, "driftShare", report.driftShare());
        ArrayNode features = node.putArray("features");
        for (FeatureDrift feature : report.features()) {
            ObjectNode f = features.addObject();
            f.put("feature", feature.feature());
            f.put("drifts", feature.distributionDrifts());
            f.put("missingRateDrifts", feature.missingRateDrifts());
            f.put("severity", feature.severity());
            ArrayNode statistics = f.putArray("statistics");
            for (Statistic statistic : feature.statistics()) {
                ObjectNode s = statistics.addObject().put("name", statistic.name());
                number(s, "value", statistic.value());
                number(s, "threshold", statistic.threshold());
                number(s, "pValue", statistic.pValue());
            }
            Histogram histogram = report.histograms().get(feature.feature());
            if (histogram != null) {
                ObjectNode h = f.putObject("histogram");
                histogram.bins().forEach(h.putArray("bins")::add);
                ArrayNode reference = h.putArray("reference");
                ArrayNode current = h.putArray("current");
                for (int i = 0; i < histogram.bins().size(); i++) {
                    reference.add(histogram.reference()[i]);
                    current.add(histogram.current()[i]);
                }
            }
        }
        return node;
    }

    public byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    private ObjectNode bounds(WindowBounds bounds) {
        return json.createObjectNode()
                .put("fromPosition", bounds.fromPosition()).put("toPosition", bounds.toPosition())
                .put("partition", bounds.partition())
                .put("fromOffset", bounds.fromOffset()).put("toOffset", bounds.toOffset())
                .put("fromTime", bounds.fromTime()).put("toTime", bounds.toTime());
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
