package io.streamlearn.drift.concept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MOA's detectors behind our interface, on naive Bayes' prequential error stream. The drift: SEA concept 2 (threshold
 * 9) switches abruptly to concept 3 (threshold 7) at instance 10,000, which flips the class of ~16% of the points
 * (P(7 < x1 + x2 <= 9) = 0.16), with SEA's 10% label noise throughout.
 */
class ConceptDriftDetectorsTest {

    private static final int CHANGE = 10_000;
    private static double[] drifting;
    private static double[] stationary;

    @BeforeAll
    static void generateStreams() {
        drifting = ErrorStreams.prequential("ConceptDriftStream -s (generators.SEAGenerator -f 2 -i 1) "
                + "-d (generators.SEAGenerator -f 3 -i 2) -p " + CHANGE + " -w 1", 2 * CHANGE);
        stationary = ErrorStreams.prequential("generators.SEAGenerator -f 2 -i 3", 100_000);
    }

    @ParameterizedTest(name = "{0} finds the change within {1} instances")
    @CsvSource({"adwin, 500", "ddm, 1000", "hddm-a, 500", "hddm-w, 1000", "page-hinkley, 3000"})
    void findsAnAbruptConceptChangeWithinItsStatedDelay(String name, int maxDelay) {
        List<Integer> detections = detections(ConceptDriftDetectors.create(name), drifting);
        assertThat(detections).as("no alarm before the change").allMatch(at -> at >= CHANGE);
        assertThat(detections).as("first alarm within %d instances of the change", maxDelay).isNotEmpty()
                .first().satisfies(at -> assertThat(at - CHANGE).isBetween(0, maxDelay));
    }

    @ParameterizedTest(name = "{0} stays quiet on 100k stationary instances")
    @CsvSource({"adwin", "ddm", "hddm-a", "hddm-w", "page-hinkley"})
    void raisesNoAlarmOnALongStationaryStream(String name) {
        assertThat(detections(ConceptDriftDetectors.create(name), stationary)).isEmpty();
    }

    @Test
    void eddmFindsTheChangeButAlarmsOftenUnderLabelNoise() {
        // EDDM watches the distance between errors and was designed for slow gradual drift (Baena-García et al. 2006);
        // on a stream with 10% label noise it alarms many times: why it is not a default.
        List<Integer> detections = detections(ConceptDriftDetectors.create("eddm"), stationary);
        assertThat(detections.size()).isGreaterThan(10);
    }

    @Test
    void acceptsAFullMoaSpecAndRefusesAnUnknownOne() {
        assertThat(ConceptDriftDetectors.create("ADWINChangeDetector -a 0.01").name()).isEqualTo("ADWINChangeDetector");
        assertThat(ConceptDriftDetectors.create("ddm").name()).isEqualTo("ddm");
        assertThatThrownBy(() -> ConceptDriftDetectors.create("NoSuchDetector"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoSuchDetector");
    }

    private static List<Integer> detections(ConceptDriftDetector detector, double[] errors) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < errors.length; i++) {
            if (detector.update(errors[i])) {
                at.add(i);
            }
        }
        return at;
    }
}
