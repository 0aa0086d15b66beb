package io.streamlearn.drift.concept;

import com.github.javacliparser.ClassOption;
import java.util.Locale;
import java.util.Map;
import moa.classifiers.core.driftdetection.ChangeDetector;

/**
 * Builds {@link ConceptDriftDetector}s from a short name or a MOA CLI spec ({@code "ADWINChangeDetector -a 0.001"}).
 * Short names and the papers behind them:
 * <ul>
 * <li>{@code adwin}: ADaptive WINdowing, Bifet and Gavaldà, SDM 2007 ({@code ADWINChangeDetector}, delta 0.002)</li>
 * <li>{@code ddm}: Drift Detection Method, Gama et al., SBIA 2004</li>
 * <li>{@code eddm}: Early DDM, Baena-García et al., 2006</li>
 * <li>{@code page-hinkley}: Page, Biometrika 1954 ({@code PageHinkleyDM}, lambda 50)</li>
 * <li>{@code hddm-a}, {@code hddm-w}: Hoeffding-bound detectors, Frías-Blanco et al., IEEE TKDE 2015</li>
 * </ul>
 */
public final class ConceptDriftDetectors {

    static final Map<String, String> SHORT_NAMES = Map.of(
            "adwin", "ADWINChangeDetector",
            "ddm", "DDM",
            "eddm", "EDDM",
            "page-hinkley", "PageHinkleyDM",
            "hddm-a", "HDDM_A_Test",
            "hddm-w", "HDDM_W_Test");

    private ConceptDriftDetectors() {
    }

    /** @throws IllegalArgumentException when the spec names no MOA change detector or has bad options */
    public static ConceptDriftDetector create(String spec) {
        String trimmed = spec.strip();
        String shortName = trimmed.toLowerCase(Locale.ROOT);
        String moaSpec = SHORT_NAMES.getOrDefault(shortName, trimmed);
        ChangeDetector detector;
        try {
            detector = (ChangeDetector) ClassOption.cliStringToObject(moaSpec, ChangeDetector.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid change detector '" + spec + "': " + e.getMessage(), e);
        }
        detector.prepareForUse();
        detector.resetLearning();
        String name = SHORT_NAMES.containsKey(shortName) ? shortName : moaSpec.split("\\s+")[0];
        return new MoaDetector(name, detector);
    }

    /** MOA's detectors are {@code Serializable}; their state is read back through core's {@code SafeSerialization}. */
    private static final class MoaDetector implements ConceptDriftDetector {
        private final String name;
        private final ChangeDetector detector;

        private MoaDetector(String name, ChangeDetector detector) {
            this.name = name;
            this.detector = detector;
        }

        @Override
        public boolean update(double error) {
            detector.input(error);
            return detector.getChange();
        }

        @Override
        public double estimation() {
            return detector.getEstimation();
        }

        @Override
        public String name() {
            return name;
        }
    }
}
