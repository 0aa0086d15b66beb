package io.streamlearn.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.drift.window.MonitorSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftMonitorConfigTest {

    @Test
    void defaultsAreTheMeasuredMonitorSettingsAndItsOwnApplicationId() {
        DriftMonitorConfig config = DriftMonitorConfig.of(Map.of()).validate();
        assertThat(config.applicationId()).isEqualTo("streamlearn-drift-monitor");
        assertThat(config.alertsTopic()).isEqualTo("drift-alerts");
        assertThat(config.retrainRequestsTopic()).isEqualTo("retrain-requests");
        assertThat(config.monitorSettings()).isEqualTo(MonitorSettings.DEFAULTS);
        assertThat(config.chunking().chunkBytes()).isEqualTo(BlobChunking.DEFAULT_CHUNK_BYTES);
    }

    @Test
    void windowKeysAndKafkaPassThroughAreRead() {
        DriftMonitorConfig config = DriftMonitorConfig.of(Map.of("drift.window.size", "500", "drift.window.step", "100",
                "drift.psi.major", "0.3", "kafka.num.stream.threads", "2"));
        assertThat(config.monitorSettings().windowSize()).isEqualTo(500);
        assertThat(config.monitorSettings().blocksPerWindow()).isEqualTo(5);
        assertThat(config.monitorSettings().thresholds().psiMajor()).isEqualTo(0.3);
        assertThat(config.kafkaProperties()).containsEntry("num.stream.threads", "2");
    }

    @Test
    void anInvalidValueFailsFastNamingTheProblem() {
        assertThatThrownBy(() -> DriftMonitorConfig.of(Map.of("drift.window.size", "1001")).validate())
                .hasMessageContaining("window size must be a positive multiple of the window step");
        assertThatThrownBy(() -> DriftMonitorConfig.of(Map.of("drift.reference.size", "lots")).validate())
                .hasMessageContaining("drift.reference.size must be an integer");
        assertThatThrownBy(() -> DriftMonitorConfig.of(Map.of("processing.guarantee", "exactly_once")).validate())
                .hasMessageContaining("processing.guarantee");
        assertThatThrownBy(() -> DriftMonitorConfig.of(Map.of("snapshot.chunk.bytes", "1048576")).validate())
                .hasMessageContaining("snapshot.chunk.bytes").hasMessageContaining("max.request.size");
    }

    @Test
    void refusesATypoNamingTheClosestKnownKeyButAcceptsOtherServicesKeys() {
        assertThatThrownBy(() -> DriftMonitorConfig.of(Map.of("drift.windw.size", "500")).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid drift monitor configuration: unknown key 'drift.windw.size' "
                        + "(did you mean 'drift.window.size'?)");
        DriftMonitorConfig.of(Map.of("snapshot.interval.ms", "1000", "http.port", "8081", "retrain.trials", "3",
                "kafka.num.stream.threads", "2")).validate();
    }

    @Test
    void readsItsHttpPortFromTheSharedKeyWithItsOwnDefault() {
        assertThat(DriftMonitorConfig.of(Map.of()).httpPort()).isEqualTo(8082);
        assertThat(DriftMonitorConfig.of(Map.of("http.port", "0")).validate().httpPort()).isZero();
        assertThatThrownBy(() -> DriftMonitorConfig.of(Map.of("http.port", "70000")).validate())
                .hasMessageContaining("http.port must be between 0 and 65535");
    }
}
