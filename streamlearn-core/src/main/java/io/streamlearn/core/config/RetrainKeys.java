package io.streamlearn.core.config;

import static io.streamlearn.core.config.Service.RETRAIN;

import java.util.List;

/** Keys of the retraining service and its batch learner (docs/retraining.md, section 7). */
final class RetrainKeys {

    private RetrainKeys() {
    }

    static List<ConfigKey> keys() {
        return List.of(
                key("retrain.group.id", "string", "streamlearn-retrainer", "consumer group of the retrain requests"),
                key("retrain.window.policy", "string", "since-drift", "training window: `since-drift` or `recent`"),
                key("retrain.window.max-rows", "int", 100000, "most labelled rows of a window, the newest"),
                key("retrain.window.min-rows", "int", 1000, "fewer labelled rows and the run fails `too_few_rows`"),
                key("retrain.labels.lookback.ms", "long", 60000, "labels read from this long before the window's "
                        + "first event"),
                key("retrain.schedule.interval", "duration", "0", "scheduled run of every owned model (`30s`, `15m`, "
                        + "`6h`, `1d` or ms; 0 is off)"),
                key("retrain.promote", "boolean", true, "whether a winning challenger is published and pinned"),
                key("retrain.concurrent-runs", "int", 1, "runs of different models at once on one instance"),
                key("retrain.drift.reference.rows", "int", 5000, "newest train-split rows published as the drift "
                        + "monitor's reference; 0: none"),
                key("retrain.train-share", "double", 0.6, "share of the window trained on (time-ordered split)"),
                key("retrain.validation-share", "double", 0.2, "share of the window validated on; the rest is the test"),
                key("retrain.trials", "int", 9, "hyperparameter trials of the search"),
                key("retrain.halving", "int", 3, "successive-halving factor of the search"),
                key("retrain.time-budget-ms", "long", 120000, "time budget of a run's search"),
                key("retrain.max-rounds", "int", 300, "most boosting rounds"),
                key("retrain.early-stopping-rounds", "int", 20, "rounds without improvement before stopping"),
                key("retrain.cv-folds", "int", 4, "time-ordered cross-validation folds; 0: none"),
                key("retrain.seed", "long", 42, "seed of the search and of XGBoost"),
                key("retrain.nthread", "int", 1, "XGBoost threads"),
                key("retrain.device", "string", "auto", "`cpu`, `cuda` or `auto`"),
                key("retrain.require-gpu", "boolean", false, "fail the run rather than fall back to the CPU"),
                key("retrain.margin", "double", 0.02, "how much better than the champions a challenger must be"),
                key("retrain.alpha", "double", 0.05, "significance of the champion-challenger test"),
                key("retrain.min-rows", "int", 200, "the batch learner's floor of training rows"),
                key("retrain.max-cells", "long", 50000000, "most rows × features of a window (memory guard)"));
    }

    private static ConfigKey key(String name, String type, Object defaultValue, String meaning) {
        return ConfigKey.of(name, type, defaultValue, meaning, RETRAIN);
    }
}
