package io.streamlearn.bench.drift;

import io.streamlearn.drift.window.ConceptDriftMonitor;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Detection quality of the drift monitor, measured on streams with known change points (docs/drift-evaluation.md):
 * recall within a stated delay, mean and p90 delay, and false alarms per 100k stationary records, per detector family.
 * Drives the monitor's own classes ({@link ConceptDriftMonitor}, {@link FeatureDriftMonitor}), not copies.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.streamlearn.bench.drift.DriftQualityHarness [--seeds 10]
 *     [--stationary 100000] [--out docs/drift-evaluation-run.md]</pre>
 */
public final class DriftQualityHarness {

    static final int CONCEPT_CHANGE = 20_000;
    static final int CONCEPT_AFTER = 5_000;
    static final int FEATURE_CHANGE = 10_000;
    static final int FEATURE_AFTER = 5_000;
    /** The issue's target: an abrupt change detected within this many records after it. */
    static final int WITHIN = 1_000;
    static final List<String> DETECTORS = List.of("adwin", "ddm", "eddm", "page-hinkley", "hddm-a", "hddm-w");

    private final int seeds;
    private final int stationary;
    private final StringBuilder md = new StringBuilder();

    private DriftQualityHarness(int seeds, int stationary) {
        this.seeds = seeds;
        this.stationary = stationary;
    }

    public static void main(String[] args) throws Exception {
        int seeds = 10;
        int stationary = 100_000;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--stationary" -> stationary = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        DriftQualityHarness harness = new DriftQualityHarness(seeds, stationary);
        harness.md.append(String.format(Locale.ROOT, "Run on %s, %d cores, Java %s, %d seeds per stream, %,d stationary "
                        + "records per seed.%n%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), seeds, stationary));
        long start = System.nanoTime();
        harness.concept();
        harness.features();
        Electricity.report(harness.md);
        harness.md.append(String.format(Locale.ROOT, "%nHarness time: %.0f s.%n", (System.nanoTime() - start) / 1e9));
        System.out.println(harness.md);
        if (out != null) {
            Files.writeString(out, harness.md.toString());
        }
    }

    /** Outcome of one family under one setting, over all seeds. */
    private record Tally(int runs, List<Long> delays, int detectedWithin, long falseAlarms, long stationaryAlarms,
            long stationaryRecords) {

        static Tally empty() {
            return new Tally(0, new ArrayList<>(), 0, 0, 0, 0);
        }

        Tally run(Long delay, int within, long falseAlarms) {
            List<Long> all = new ArrayList<>(delays);
            if (delay != null) {
                all.add(delay);
            }
            return new Tally(runs + 1, all, detectedWithin + (delay != null && delay <= within ? 1 : 0),
                    this.falseAlarms + falseAlarms, stationaryAlarms, stationaryRecords);
        }

        Tally stationary(long alarms, long records) {
            return new Tally(runs, delays, detectedWithin, falseAlarms, stationaryAlarms + alarms,
                    stationaryRecords + records);
        }

        String row(String name, int within) {
            long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            String mean = sorted.length == 0 ? "–" : String.format(Locale.ROOT, "%,.0f",
                    Arrays.stream(sorted).average().orElse(0));
            String p90 = sorted.length == 0 ? "–" : String.format(Locale.ROOT, "%,d",
                    sorted[(int) Math.ceil(0.9 * sorted.length) - 1]);
            String fa = stationaryRecords == 0 ? "–" : String.format(Locale.ROOT, "%.2f",
                    100_000.0 * stationaryAlarms / stationaryRecords);
            return String.format(Locale.ROOT, "| %s | %.2f (%d/%d) | %s | %s | %d/%d | %d | %s |%n", name,
                    (double) detectedWithin / runs, detectedWithin, runs, mean, p90, sorted.length, runs,
                    falseAlarms, fa);
        }
    }

    private void concept() {
        List<ConceptStreams.Family> families = List.of(ConceptStreams.SEA, ConceptStreams.AGRAWAL,
                ConceptStreams.HYPERPLANE, ConceptStreams.RBF, ConceptStreams.SEA_GRADUAL,
                ConceptStreams.AGRAWAL_GRADUAL);
        md.append("## Concept drift (prequential naive Bayes error → ConceptDriftMonitor, one detector)\n\n");
        md.append(String.format(Locale.ROOT, "Change at record %,d of %,d; recall: first alert within %,d records of "
                + "the change (abrupt) or within the transition and %,d records after it (gradual, width 2,000); delay "
                + "from the change (abrupt) or the transition's start; false alarms: alerts before that point (after "
                + "the learner's first 1,000 records); "
                + "stationary: the family's first stream without change, %,d records × %d seeds.%n%n",
                CONCEPT_CHANGE, CONCEPT_CHANGE + CONCEPT_AFTER, WITHIN, WITHIN, stationary, seeds));
        for (String detector : DETECTORS) {
            md.append("### ").append(detector).append("\n\n| stream | recall | mean delay | p90 delay | detected "
                    + "at all | false alarms before the change | false alarms per 100k stationary |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|\n");
            Tally all = Tally.empty();
            for (ConceptStreams.Family family : families) {
                Tally tally = Tally.empty();
                // Gradual: the transition runs from 1,000 before to 1,000 after the centre; delays count from its
                // start, and recall allows the transition plus 1,000.
                int from = family.gradual() ? CONCEPT_CHANGE - 1000 : CONCEPT_CHANGE;
                int within = family.gradual() ? 2000 + WITHIN : WITHIN;
                for (int seed = 1; seed <= seeds; seed++) {
                    boolean[] wrong = errors(family.withChange().of(seed, CONCEPT_CHANGE),
                            CONCEPT_CHANGE + CONCEPT_AFTER);
                    List<Long> alarms = conceptAlarms(detector, wrong);
                    long before = alarms.stream().filter(p -> p > 1000 && p <= from).count();
                    Long delay = alarms.stream().filter(p -> p > from).findFirst().map(p -> p - from).orElse(null);
                    tally = tally.run(delay, within, before);
                    if (!family.gradual()) {
                        boolean[] calm = errors(family.stationary().apply(seed), stationary);
                        tally = tally.stationary(conceptAlarms(detector, calm).stream().filter(p -> p > 1000).count(),
                                stationary - 1000);
                    }
                }
                md.append(tally.row(family.name(), WITHIN));
                all = merge(all, tally);
            }
            md.append(all.row("**all**", WITHIN)).append('\n');
        }
    }

    private final Map<String, boolean[]> errorCache = new HashMap<>();

    /** Error streams are shared by the detectors: computed once per spec. */
    private boolean[] errors(String spec, int length) {
        return errorCache.computeIfAbsent(spec + "#" + length, key -> ConceptStreams.prequentialErrors(spec, length));
    }

    private static List<Long> conceptAlarms(String detector, boolean[] wrong) {
        MonitorSettings settings = new MonitorSettings(5000, 1000, 250, 4, 8, 0.5, 1000, 64,
                MonitorSettings.DEFAULTS.thresholds(), List.of(detector), MonitorSettings.DEFAULTS.conceptCooldown());
        ConceptDriftMonitor monitor = new ConceptDriftMonitor("bench", settings);
        List<Long> alarms = new ArrayList<>();
        for (int i = 0; i < wrong.length; i++) {
            monitor.observe(new Observation(i + 1, 0, i, i, Map.of()), wrong[i])
                    .ifPresent(alert -> alarms.add(alert.current().toPosition()));
        }
        return alarms;
    }

    private static Tally merge(Tally a, Tally b) {
        List<Long> delays = new ArrayList<>(a.delays());
        delays.addAll(b.delays());
        return new Tally(a.runs() + b.runs(), delays, a.detectedWithin() + b.detectedWithin(),
                a.falseAlarms() + b.falseAlarms(), a.stationaryAlarms() + b.stationaryAlarms(),
                a.stationaryRecords() + b.stationaryRecords());
    }

    /** Window settings compared for feature drift: the defaults, and faster windows. */
    private record WindowSetting(String name, MonitorSettings settings) {
    }

    private static MonitorSettings windows(int reference, int window, int step, int confirm) {
        MonitorSettings d = MonitorSettings.DEFAULTS;
        return new MonitorSettings(reference, window, step, confirm, d.cooldownWindows(), d.datasetShare(),
                d.ksSampleSize(), d.maxCategories(), d.thresholds(), d.detectors(), d.conceptCooldown());
    }

    private void features() {
        List<WindowSetting> settings = List.of(
                new WindowSetting("defaults: reference 5,000, window 1,000, step 250, confirm 4",
                        MonitorSettings.DEFAULTS),
                new WindowSetting("reference 5,000, window 500, step 125, confirm 4", windows(5000, 500, 125, 4)),
                new WindowSetting("reference 5,000, window 500, step 125, confirm 6", windows(5000, 500, 125, 6)));
        md.append("## Feature drift (covariate shift → FeatureDriftMonitor)\n\n");
        md.append(String.format(Locale.ROOT, "12 features (x0..x9 ~ N(0, 1), c0 in a/b/c at 50/30/20%%, c1 uniform "
                + "over 5 categories); one changes at record %,d of %,d while the concept does not; recall: the changed "
                + "feature (or the dataset) alerted within %,d records; delay: the confirming window's last record "
                + "minus the change; false alarms: any other alert (any feature before the change, or an unchanged "
                + "feature after it); stationary: %,d records × %d seeds.%n%n",
                FEATURE_CHANGE, FEATURE_CHANGE + FEATURE_AFTER, WITHIN, stationary, seeds));
        for (WindowSetting setting : settings) {
            md.append("### ").append(setting.name()).append("\n\n| change | recall | mean delay | p90 delay | "
                    + "detected at all | false alarms | false alarms per 100k stationary |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|\n");
            Tally all = Tally.empty();
            for (CovariateStream.Change change : CovariateStream.Change.values()) {
                if (change == CovariateStream.Change.NONE) {
                    continue;
                }
                Tally tally = Tally.empty();
                for (int seed = 1; seed <= seeds; seed++) {
                    CovariateStream stream = new CovariateStream(seed, change, FEATURE_CHANGE);
                    List<DriftAlert> alerts = run(setting.settings(), stream::next, FEATURE_CHANGE + FEATURE_AFTER);
                    Long delay = alerts.stream().filter(a -> a.current().toPosition() > FEATURE_CHANGE
                                    && change.explains(a.feature())).findFirst()
                            .map(a -> a.current().toPosition() - FEATURE_CHANGE).orElse(null);
                    long falseAlarms = alerts.stream().filter(a -> a.current().toPosition() <= FEATURE_CHANGE
                            || !change.explains(a.feature())).count();
                    tally = tally.run(delay, WITHIN, falseAlarms);
                }
                md.append(tally.row(change.description(), WITHIN));
                all = merge(all, tally);
            }
            long alarms = 0;
            for (int seed = 1; seed <= seeds; seed++) {
                CovariateStream calm = new CovariateStream(1000 + seed, CovariateStream.Change.NONE, 0);
                alarms += run(setting.settings(), calm::next, stationary).size();
            }
            all = all.stationary(alarms, (long) seeds * stationary);
            md.append(all.row("**all**", WITHIN)).append('\n');
        }
    }

    private static List<DriftAlert> run(MonitorSettings settings, Supplier<Map<String, Object>> source, int length) {
        FeatureDriftMonitor monitor = new FeatureDriftMonitor("bench", DriftKind.FEATURE, settings);
        List<DriftAlert> alerts = new ArrayList<>();
        for (int i = 1; i <= length; i++) {
            alerts.addAll(monitor.observe(new Observation(i, 0, i - 1, i, source.get())));
        }
        return alerts;
    }
}
