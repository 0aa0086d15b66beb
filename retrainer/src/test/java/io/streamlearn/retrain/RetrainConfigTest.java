package io.streamlearn.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.config.KnownKeys;
import io.streamlearn.retrain.window.WindowPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RetrainConfigTest {

    @Test
    void defaultsShareTheOtherModulesTopicNames() {
        RetrainConfig config = RetrainConfig.of(Map.of()).validate();
        assertThat(config.eventsTopic()).isEqualTo("events");
        assertThat(config.labelsTopic()).isEqualTo("labels");
        assertThat(config.modelsTopic()).isEqualTo("models");
        assertThat(config.requestsTopic()).isEqualTo("retrain-requests");
        assertThat(config.runsTopic()).isEqualTo("training-runs");
        assertThat(config.pinsTopic()).isEqualTo("model-pins");
        assertThat(config.windowPolicy()).isEqualTo(WindowPolicy.SINCE_DRIFT);
        assertThat(config.windowMaxRows()).isEqualTo(100_000);
        assertThat(config.scheduleInterval()).isZero();
        assertThat(config.adminToken()).isNull();
        assertThat(config.promote()).isTrue();
        assertThat(config.chunking().chunkBytes()).isEqualTo(BlobChunking.DEFAULT_CHUNK_BYTES);
    }

    @Test
    void readsDurationsPassesKafkaAndBatchSettingsOn() {
        RetrainConfig config = RetrainConfig.of(Map.of("retrain.schedule.interval", "15m", "kafka.security.protocol",
                "SSL", "retrain.trials", "5", "retrain.window.policy", "recent")).validate();
        assertThat(config.scheduleInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SSL");
        assertThat(config.retrainSettings()).containsEntry("retrain.trials", "5");
        assertThat(config.windowPolicy()).isEqualTo(WindowPolicy.RECENT);
        assertThat(RetrainConfig.parseDuration("k", "2500")).isEqualTo(Duration.ofMillis(2500));
        assertThat(RetrainConfig.parseDuration("k", "1d")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void invalidValuesFailNamingTheKey() {
        assertThatThrownBy(() -> RetrainConfig.of(Map.of("retrain.window.policy", "newest")).validate())
                .hasMessageContaining("retrain.window.policy must be since-drift or recent");
        assertThatThrownBy(() -> RetrainConfig.of(Map.of("retrain.window.min-rows", "500",
                "retrain.window.max-rows", "100")).validate())
                .hasMessageContaining("retrain.window.min-rows must not exceed retrain.window.max-rows");
        assertThatThrownBy(() -> RetrainConfig.of(Map.of("retrain.schedule.interval", "soon")).validate())
                .hasMessageContaining("retrain.schedule.interval must be a duration");
        assertThatThrownBy(() -> RetrainConfig.of(Map.of("retrain.promote", "yes")).validate())
                .hasMessageContaining("retrain.promote must be true or false");
        assertThatThrownBy(() -> RetrainConfig.of(Map.of("retrain.window.max-rows", "many")).validate())
                .hasMessageContaining("retrain.window.max-rows must be an integer");
        assertThatThrownBy(() -> RetrainConfig.of(Map.of("snapshot.chunk.bytes", "100")).validate())
                .hasMessageContaining("snapshot.chunk.bytes");
        assertThatThrownBy(() -> RetrainConfig.of(Map.of("snapshot.chunk.bytes", "1048576")).validate())
                .hasMessageContaining("max.request.size");
    }

    @Test
    void readsPinsFromTopicPinsAndTheOldPinsTopicKeyAsADeprecatedAlias() {
        assertThat(RetrainConfig.of(Map.of("topic.pins", "pins-a")).validate().pinsTopic()).isEqualTo("pins-a");
        Logger log = (Logger) LoggerFactory.getLogger(KnownKeys.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        log.addAppender(warnings);
        try {
            assertThat(RetrainConfig.of(Map.of("pins.topic", "pins-b")).validate().pinsTopic()).isEqualTo("pins-b");
            assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("Configuration key 'pins.topic' is deprecated; use 'topic.pins'");
        } finally {
            log.detachAppender(warnings);
        }
    }

    @Test
    void refusesAKeyNoServiceReadsAndAcceptsEveryOtherServicesKeys() {
        assertThatThrownBy(() -> RetrainConfig.of(Map.of("retrain.window.max-row", "500")).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid retrainer configuration: unknown key 'retrain.window.max-row' "
                        + "(did you mean 'retrain.window.max-rows'?)");
        RetrainConfig.of(Map.of("http.max-body-bytes", "10", "drift.window.size", "500", "snapshot.interval.ms",
                "1000", "kafka.security.protocol", "SSL")).validate();
    }

    @Test
    void readsItsHttpPortFromTheSharedKeyWithItsOwnDefault() {
        assertThat(RetrainConfig.of(Map.of()).httpPort()).isEqualTo(8083);
        assertThat(RetrainConfig.of(Map.of("http.port", "0")).validate().httpPort()).isZero();
        assertThatThrownBy(() -> RetrainConfig.of(Map.of("http.port", "-1")).validate())
                .hasMessageContaining("http.port must be between 0 and 65535");
    }
}
