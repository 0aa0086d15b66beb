package io.streamlearn.drift.window;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the monitor shows of each model ({@code GET /v1/drift/{model}}): the latest {@link WindowReport} of its
 * features and of its predictions per source, the statistics of its last {@value #WINDOW_HISTORY} feature windows,
 * its concept-drift status and its last {@value #HISTORY} alerts. Written
 * by the stream threads, read by HTTP handlers; bounded by the models.
 */
public final class LatestReports {

    public static final int HISTORY = 50;
    /** Feature reports kept per model for the statistics' history: at the default step, the last 200 windows. */
    public static final int WINDOW_HISTORY = 200;

    private final Map<String, Model> models = new ConcurrentHashMap<>();

    /** A model's concept-drift state: labelled predictions so far, misses, and each detector's error estimate. */
    public record ConceptStatus(long outcomes, long errors, Map<String, Double> estimations) {
    }

    private static final class Model {
        private volatile WindowReport features;
        private final Deque<WindowReport> history = new ArrayDeque<>();
        private final Map<String, WindowReport> predictions = new ConcurrentHashMap<>();
        private volatile ConceptStatus concept;
        private final Deque<DriftAlert> alerts = new ArrayDeque<>();
        private final Map<DriftKind, Long> counts = new EnumMap<>(DriftKind.class);
        private DriftAlert first;
    }

    /** The feature report, or a prediction report of {@code source} ({@code trainer}, {@code serving}). */
    public void publish(WindowReport report, String source) {
        Model model = model(report.model());
        if (report.kind() == DriftKind.FEATURE) {
            model.features = report;
            // Without histograms: they hold on to the window's sketches, the statistics alone are small.
            WindowReport statistics = new WindowReport(report.model(), report.kind(), report.reference(),
                    report.current(), report.features(), report.driftShare(), Map.of());
            synchronized (model.history) {
                model.history.addLast(statistics);
                if (model.history.size() > WINDOW_HISTORY) {
                    model.history.removeFirst();
                }
            }
        } else {
            model.predictions.put(source, report);
        }
    }

    public void publish(WindowReport report) {
        publish(report, "trainer");
    }

    public void concept(String model, ConceptStatus status) {
        model(model).concept = status;
    }

    public void alert(DriftAlert alert) {
        Model model = model(alert.model());
        synchronized (model.alerts) {
            model.counts.merge(alert.kind(), 1L, Long::sum);
            if (model.first == null) {
                model.first = alert;
            }
            model.alerts.addLast(alert);
            if (model.alerts.size() > HISTORY) {
                model.alerts.removeFirst();
            }
        }
    }

    /** The latest feature report. */
    public Optional<WindowReport> of(String model) {
        return Optional.ofNullable(models.get(model)).map(m -> m.features);
    }

    /** The model's last {@value #WINDOW_HISTORY} feature reports, oldest first, without histograms. */
    public List<WindowReport> history(String model) {
        Model m = models.get(model);
        if (m == null) {
            return List.of();
        }
        synchronized (m.history) {
            return List.copyOf(m.history);
        }
    }

    /** The latest prediction report per source, sources in name order. */
    public Map<String, WindowReport> predictions(String model) {
        Model m = models.get(model);
        return m == null ? Map.of() : new TreeMap<>(m.predictions);
    }

    public Optional<ConceptStatus> concept(String model) {
        return Optional.ofNullable(models.get(model)).map(m -> m.concept);
    }

    /** The model's last alerts, oldest first. */
    public List<DriftAlert> alerts(String model) {
        Model m = models.get(model);
        if (m == null) {
            return List.of();
        }
        synchronized (m.alerts) {
            return List.copyOf(m.alerts);
        }
    }

    /** Alerts raised for the model since this instance started, by kind (all of them, not only the last ones). */
    public Map<DriftKind, Long> alertCounts(String model) {
        Model m = models.get(model);
        if (m == null) {
            return Map.of();
        }
        synchronized (m.alerts) {
            return Map.copyOf(m.counts);
        }
    }

    /** The first alert raised for the model since this instance started. */
    public Optional<DriftAlert> firstAlert(String model) {
        Model m = models.get(model);
        if (m == null) {
            return Optional.empty();
        }
        synchronized (m.alerts) {
            return Optional.ofNullable(m.first);
        }
    }

    /** Whether anything at all is known of the model here. */
    public boolean knows(String model) {
        return models.containsKey(model);
    }

    private Model model(String name) {
        return models.computeIfAbsent(name, n -> new Model());
    }
}
