package io.streamlearn.retrain.run;

import io.streamlearn.core.model.ModelSnapshot;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link ChallengerTrainer} reports for one window.
 *
 * @param promote          whether the challenger passed the gate against every champion
 * @param decision         the gate's explanation, e.g. {@code "McNemar p=0.003 < 0.05 and accuracy +0.021 > 0.005"}
 * @param device           the device actually used, read back from the booster ({@code cpu}, {@code cuda:0})
 * @param challenger       the trained model, origin batch, with its provenance (parameters, metrics, ...)
 * @param report           parameters, CV and test metrics, gate, importance, durations, libraries, as JSON values
 * @param metric           the name of the test metric below ({@code accuracy}, {@code rmse})
 * @param challengerMetric the challenger's test metric
 * @param championMetrics  each champion's test metric by role ({@code online}, {@code batch}, {@code baseline})
 */
public record TrainingResult(boolean promote, String decision, String device, ModelSnapshot challenger,
        Map<String, Object> report, String metric, double challengerMetric, Map<String, Double> championMetrics) {

    public TrainingResult {
        report = Collections.unmodifiableMap(new LinkedHashMap<>(report));
        championMetrics = Map.copyOf(championMetrics);
    }
}
