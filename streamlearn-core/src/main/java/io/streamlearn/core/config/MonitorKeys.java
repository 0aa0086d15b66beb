package io.streamlearn.core.config;

import static io.streamlearn.core.config.Service.MONITOR;

import java.util.List;

/** Keys of the drift monitor (docs/drift.md, section 3 and its configuration table). */
final class MonitorKeys {

    private MonitorKeys() {
    }

    static List<ConfigKey> keys() {
        return List.of(
                key("drift.application.id", "string", "streamlearn-drift-monitor", "the monitor's Kafka Streams "
                        + "application id, apart from the trainer's"),
                key("drift.reference.size", "int", 5000, "records in a model's reference window"),
                key("drift.window.size", "int", 1000, "records in the current window compared with the reference"),
                key("drift.window.step", "int", 250, "records between two comparisons"),
                key("drift.confirm.windows", "int", 4, "windows in a row over a threshold before an alert"),
                key("drift.cooldown.windows", "int", 8, "windows after an alert in which none is raised"),
                key("drift.dataset.share", "double", 0.5, "share of drifting features that makes dataset drift"),
                key("drift.ks.sample.size", "int", 1000, "sample size of the Kolmogorov-Smirnov test"),
                key("drift.max.categories", "int", 64, "categories tracked per nominal feature"),
                key("drift.max.features", "int", 1000, "features of a record monitored at most; the rest are counted "
                        + "as unmonitored"),
                key("drift.psi.moderate", "double", 0.1, "PSI of a moderate shift"),
                key("drift.psi.major", "double", 0.25, "PSI of a major shift"),
                key("drift.significance", "double", 0.05, "p-value under which a test calls a shift"),
                key("drift.distance", "double", 0.1, "distance (Wasserstein, Jensen-Shannon) that calls a shift"),
                key("drift.missing.rate", "double", 0.1, "change in a feature's missing rate that calls a shift"),
                key("drift.concept.detectors", "list", "adwin", "comma-separated concept-drift detectors (`adwin`, "
                        + "`ddm`, `eddm`, `page-hinkley`, `hddm-a`, `hddm-w`) or MOA specs"),
                key("drift.concept.cooldown", "int", 1000, "labelled predictions after a concept alert in which none "
                        + "is raised"),
                key("drift.pending.max", "long", 50000, "predictions or labels waiting for each other per model"),
                key("drift.pending.ttl.ms", "long", 3600000, "how long (record time) one waits for the other"),
                key("drift.pending.max.bytes", "long", 16777216, "bytes of waiting predictions and labels per model"),
                key("drift.snapshot.records", "int", 2000, "records of a monitor between two state snapshots"),
                key("drift.models", "list", null, "models to monitor, comma-separated; empty: any, up to "
                        + "`drift.max.models`"),
                key("drift.max.models", "int", 100, "models monitored when `drift.models` is empty"));
    }

    private static ConfigKey key(String name, String type, Object defaultValue, String meaning) {
        return ConfigKey.of(name, type, defaultValue, meaning, MONITOR);
    }
}
