package io.streamlearn.core.topic;

import io.streamlearn.core.config.ConfigValues;

/**
 * The topic contract every service reads: each topic's settings key ({@code topic.*}, one family for every service)
 * and its default name. A service config asks {@link #name(ConfigValues)} instead of spelling the key and the default
 * itself, so one file names a topic once for the trainer, the servers, the drift monitor and the retrainer.
 */
public enum Topic {

    EVENTS("topic.events", "events", "JSON events, keyed by model name"),
    LABELS("topic.labels", "labels", "labels joined to their events by id, keyed by model name"),
    PREDICTIONS("topic.predictions", "predictions",
            "the trainer's and the servers' predictions; the retrainer scores the online model by the trainer's"),
    MODELS("topic.models", "models", "compacted model snapshots in chunks (`<model>`, `<model>@batch`)"),
    DEAD_LETTERS("topic.dlq", "events.dlq", "refused events and labels with the reason in headers"),
    ANOMALIES("topic.anomalies", "anomalies", "alerts of anomaly models"),
    DRIFT_ALERTS("topic.drift.alerts", "drift-alerts", "the drift monitor's alerts"),
    RETRAIN_REQUESTS("topic.retrain.requests", "retrain-requests", "requests for a retraining run (drift, schedule, admin)"),
    TRAINING_RUNS("topic.training.runs", "training-runs", "compacted record of every retraining run"),
    DRIFT_REFERENCES("topic.drift.references", "drift-references",
            "compacted training rows of each promoted batch model, the drift monitor's reference"),
    PINS("topic.pins", "model-pins", "compacted pinned version of each model, shared by every server"),
    DEFINITIONS("topic.definitions", "model-definitions",
            "compacted model definitions (`<model>`): schema, learner, settings, generation; every service follows it"),
    SHARD_STEPS("topic.shard.steps", "<application.id>-shard-steps",
            "the trainer's own: a sharded model's events and labels, fanned out to its shards (`<model>#<shard>`)"),
    SHARD_VOTES("topic.shard.votes", "<application.id>-shard-votes",
            "the trainer's own: each shard's votes for an event, to the vote stage (keyed and partitioned by event); "
                    + "created with as many partitions as `events`, any count works"),
    SHARD_SUMS("topic.shard.sums", "<application.id>-shard-sums",
            "the trainer's own: each event's votes added up by the vote stage, to its model's task (`<model>`); as "
                    + "many partitions as `events`");

    /** Stands for the trainer's {@code application.id} in the default names of its own topics. */
    public static final String APPLICATION_ID = "<application.id>";

    private final String key;
    private final String defaultName;
    private final String meaning;

    Topic(String key, String defaultName, String meaning) {
        this.key = key;
        this.defaultName = defaultName;
        this.meaning = meaning;
    }

    /** The settings key naming this topic, e.g. {@code topic.models}. */
    public String key() {
        return key;
    }

    /** The name used when {@link #key()} is not set. */
    public String defaultName() {
        return defaultName;
    }

    /** One line on what the topic holds, for docs/configuration.md. */
    public String meaning() {
        return meaning;
    }

    /** The name configured in {@code values}, or the default. */
    public String name(ConfigValues values) {
        return values.get(key, defaultName);
    }

    /** As {@link #name(ConfigValues)}, a default of the application's own named after its {@code application.id}. */
    public String name(ConfigValues values, String applicationId) {
        return name(values).replace(APPLICATION_ID, applicationId);
    }
}
