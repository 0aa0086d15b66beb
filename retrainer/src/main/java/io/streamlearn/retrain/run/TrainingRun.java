package io.streamlearn.retrain.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.streamlearn.retrain.window.DataVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one run on {@code training-runs} (key {@link #id}), written when it starts and again, whole, when it
 * ends; a final record is never rewritten.
 *
 * @param id              {@code <model>-<startedAt>-<seq>}: sorts by model, then start time
 * @param reason          why a run failed or was rejected; {@code null} otherwise
 * @param trigger         every request the run answers (more than one when requests were coalesced)
 * @param dataVersion     the offset ranges and schema version it trained on; {@code null} before they are read
 * @param rows            labelled rows in the window
 * @param trials          the hyperparameter trials (parameters, metric, rounds, learning curve), in order
 * @param result          what training reported: parameters, CV and test metrics (challenger, champions, baseline),
 *                        gate, importance, library versions, as JSON values
 * @param device          the device the challenger actually trained on ({@code cpu}, {@code cuda:0})
 * @param phases          milliseconds per phase: {@code read}, {@code champions}, {@code train}, {@code publish}
 * @param promotedVersion the version published to {@code models} when promoted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingRun(String id, String model, RunStatus status, String reason, long startedAt, Long finishedAt,
        List<RetrainRequest> trigger, DataVersion dataVersion, Integer rows, List<Map<String, Object>> trials,
        Map<String, Object> result, String device, Map<String, Long> phases, Long promotedVersion) {

    public TrainingRun {
        trigger = List.copyOf(trigger);
        trials = trials == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(trials));
        result = result == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(result));
        phases = phases == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }

    public static TrainingRun started(String id, String model, long startedAt, List<RetrainRequest> trigger) {
        return new TrainingRun(id, model, RunStatus.RUNNING, null, startedAt, null, trigger, null, null, List.of(),
                Map.of(), null, Map.of(), null);
    }

    public TrainingRun withWindow(DataVersion version, int windowRows) {
        return new TrainingRun(id, model, status, reason, startedAt, finishedAt, trigger, version, windowRows, trials,
                result, device, phases, promotedVersion);
    }

    public TrainingRun withTrials(List<Map<String, Object>> newTrials) {
        return new TrainingRun(id, model, status, reason, startedAt, finishedAt, trigger, dataVersion, rows,
                newTrials, result, device, phases, promotedVersion);
    }

    public TrainingRun withResult(Map<String, Object> newResult, String newDevice) {
        return new TrainingRun(id, model, status, reason, startedAt, finishedAt, trigger, dataVersion, rows, trials,
                newResult, newDevice, phases, promotedVersion);
    }

    public TrainingRun withPhases(Map<String, Long> newPhases) {
        return new TrainingRun(id, model, status, reason, startedAt, finishedAt, trigger, dataVersion, rows, trials,
                result, device, newPhases, promotedVersion);
    }

    /** This run ended: {@code status} is final. */
    public TrainingRun finished(RunStatus finalStatus, String why, long at, Long version) {
        if (!finalStatus.isFinal()) {
            throw new IllegalArgumentException("a run finishes with a final status, not " + finalStatus);
        }
        return new TrainingRun(id, model, finalStatus, why, startedAt, at, trigger, dataVersion, rows, trials, result,
                device, phases, version);
    }

    /** The alerts of every drift request in the trigger: the provenance's {@code trigger}. */
    public List<Map<String, Object>> alerts() {
        List<Map<String, Object>> alerts = new ArrayList<>();
        trigger.forEach(request -> alerts.addAll(request.alerts()));
        return alerts;
    }
}
