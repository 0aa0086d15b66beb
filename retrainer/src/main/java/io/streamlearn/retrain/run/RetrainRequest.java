package io.streamlearn.retrain.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One record of {@code retrain-requests}: the drift monitor's ({@code reason} {@code drift}, with the start of the
 * drifting window and its alerts, docs/drift.md), the schedule's ({@code schedule}) or an operator's ({@code admin}).
 *
 * @param partition   the {@code events} partition of {@code fromOffset}, or {@code null} without a drift point
 * @param fromOffset  the first offset of the drifting window, or {@code null}
 * @param fromTime    the timestamp of the drifting window's first event, or {@code null}
 * @param requestedAt when the request was written (the record's timestamp), epoch milliseconds
 * @param alerts      the drift alerts that confirmed it, as {@code {"kind","feature","statistic","severity"}}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrainRequest(String model, String reason, Integer partition, Long fromOffset, Long fromTime,
        long requestedAt, List<Map<String, Object>> alerts) {

    public static final String DRIFT = "drift";
    public static final String SCHEDULE = "schedule";
    public static final String ADMIN = "admin";

    public RetrainRequest {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a retrain request names no model");
        }
        reason = reason == null ? DRIFT : reason;
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    public static RetrainRequest of(String model, String reason, long requestedAt) {
        return new RetrainRequest(model, reason, null, null, null, requestedAt, List.of());
    }

    /** Whether the request says where a drift started, so a since-drift window can begin there. */
    public boolean hasDriftPoint() {
        return partition != null && fromOffset != null;
    }
}
