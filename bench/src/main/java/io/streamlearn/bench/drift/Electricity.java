package io.streamlearn.bench.drift;

import com.yahoo.labs.samoa.instances.Instance;
import io.streamlearn.drift.window.ConceptDriftMonitor;
import io.streamlearn.drift.window.DriftAlert;
import io.streamlearn.drift.window.DriftKind;
import io.streamlearn.drift.window.FeatureDriftMonitor;
import io.streamlearn.drift.window.MonitorSettings;
import io.streamlearn.drift.window.Observation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import moa.classifiers.Classifier;
import moa.classifiers.trees.HoeffdingTree;
import moa.core.Utils;
import moa.streams.ArffFileStream;

/**
 * The Electricity stream (NSW prices, 7 May 1996 to 5 December 1998, one record per half hour; real, known to drift):
 * where the monitor's alarms fire on MOA's Hoeffding tree's prequential errors (the demo's learner) and on the raw
 * features. There is no ground truth; the alarms are listed with their dates.
 */
final class Electricity {

    private static final LocalDate FIRST_DAY = LocalDate.of(1996, 5, 7);
    private static final int PER_DAY = 48;

    private Electricity() {
    }

    static void report(StringBuilder md) throws IOException {
        Path arff = Files.createTempFile("electricity", ".arff");
        try (InputStream in = new GZIPInputStream(Electricity.class.getResourceAsStream(
                "/datasets/electricity.arff.gz"))) {
            Files.copy(in, arff, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            run(arff, md);
        } finally {
            Files.deleteIfExists(arff);
        }
    }

    private static void run(Path arff, StringBuilder md) {
        ArffFileStream stream = new ArffFileStream(arff.toString(), -1);
        stream.prepareForUse();
        Classifier learner = new HoeffdingTree();
        learner.setModelContext(stream.getHeader());
        learner.prepareForUse();
        Map<String, ConceptDriftMonitor> detectors = new LinkedHashMap<>();
        for (String detector : DriftQualityHarness.DETECTORS) {
            detectors.put(detector, new ConceptDriftMonitor("electricity", settings(List.of(detector))));
        }
        FeatureDriftMonitor features = new FeatureDriftMonitor("electricity", DriftKind.FEATURE,
                MonitorSettings.DEFAULTS);
        Map<String, List<Long>> alarms = new LinkedHashMap<>();
        detectors.keySet().forEach(d -> alarms.put(d, new ArrayList<>()));
        List<DriftAlert> featureAlerts = new ArrayList<>();
        long errors = 0;
        int position = 0;
        while (stream.hasMoreInstances()) {
            Instance instance = stream.nextInstance().getData();
            position++;
            boolean wrong = Utils.maxIndex(learner.getVotesForInstance(instance)) != (int) instance.classValue();
            errors += wrong ? 1 : 0;
            learner.trainOnInstance(instance);
            Observation at = new Observation(position, 0, position - 1, position, values(instance));
            for (Map.Entry<String, ConceptDriftMonitor> detector : detectors.entrySet()) {
                detector.getValue().observe(at, wrong).ifPresent(a -> alarms.get(detector.getKey())
                        .add(a.current().toPosition()));
            }
            featureAlerts.addAll(features.observe(at));
        }
        md.append(String.format(Locale.ROOT, "## Electricity (real drift, %,d records, Hoeffding tree prequential "
                + "accuracy %.4f)%n%n", position, 1 - (double) errors / position));
        md.append("Concept alarms (one detector each, default settings; record → day):\n\n| detector | alarms | "
                + "where |\n|---|---:|---|\n");
        alarms.forEach((detector, at) -> md.append("| ").append(detector).append(" | ").append(at.size())
                .append(" | ").append(describe(at)).append(" |\n"));
        md.append("\nFeature alerts (defaults; the time index `date` left out, it drifts by construction):\n\n"
                + "| feature | statistic | confirmed at |\n|---|---|---|\n");
        for (DriftAlert alert : featureAlerts) {
            md.append("| ").append(alert.feature()).append(" | ").append(alert.statistic()).append(" | ")
                    .append(describe(List.of(alert.current().toPosition()))).append(" |\n");
        }
        md.append('\n');
    }

    private static MonitorSettings settings(List<String> detectors) {
        MonitorSettings d = MonitorSettings.DEFAULTS;
        return new MonitorSettings(d.referenceSize(), d.windowSize(), d.windowStep(), d.confirmWindows(),
                d.cooldownWindows(), d.datasetShare(), d.ksSampleSize(), d.maxCategories(), d.thresholds(), detectors,
                d.conceptCooldown());
    }

    private static Map<String, Object> values(Instance instance) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < instance.numAttributes(); i++) {
            if (i == instance.classIndex() || instance.attribute(i).name().equals("date")) {
                continue;
            }
            values.put(instance.attribute(i).name(), instance.attribute(i).isNominal()
                    ? instance.attribute(i).value((int) instance.value(i)) : (Object) instance.value(i));
        }
        return values;
    }

    private static String describe(List<Long> positions) {
        if (positions.isEmpty()) {
            return "–";
        }
        StringBuilder text = new StringBuilder();
        for (long p : positions) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(String.format(Locale.ROOT, "%,d (%s)", p, FIRST_DAY.plusDays((p - 1) / PER_DAY)));
        }
        return text.toString();
    }
}
