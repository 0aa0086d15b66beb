package io.streamlearn.drift.window;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link WindowReport} of each model, written by the stream threads that evaluate windows and read by
 * whoever shows them ({@code GET /v1/drift/{model}}). Holds one report per model, so it is as bounded as the models.
 */
public final class LatestReports {

    private final Map<String, WindowReport> reports = new ConcurrentHashMap<>();

    public void publish(WindowReport report) {
        reports.put(report.model(), report);
    }

    public Optional<WindowReport> of(String model) {
        return Optional.ofNullable(reports.get(model));
    }
}
