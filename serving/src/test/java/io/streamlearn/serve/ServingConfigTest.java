package io.streamlearn.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.streamlearn.core.config.KnownKeys;
import io.streamlearn.runtime.http.HttpServerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ServingConfigTest {

    @Test
    void defaultsAreValidAndDocumented() {
        ServingConfig config = ServingConfig.defaults().validate();

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.maxBodyBytes()).isEqualTo(1L << 20);
        assertThat(config.maxBatchInstances()).isEqualTo(1000);
        assertThat(config.modelsTopic()).isEqualTo("models");
        assertThat(config.kafkaProperties()).isEmpty();
        assertThat(config.keepVersions()).isEqualTo(3);
        assertThat(config.pinsTopic()).isEqualTo("model-pins");
        assertThat(config.adminToken()).isNull();
        assertThat(config.predictionsTopic()).isEqualTo("predictions");
        assertThat(config.labelsTopic()).isEqualTo("labels");
        assertThat(config.logSampleRate()).isEqualTo(1.0);
        assertThat(config.requestTimeoutMs()).isEqualTo(10_000);
    }

    @Test
    void readsEveryKeyAndPassesKafkaPropertiesThroughWithoutPrefix() {
        ServingConfig config = ServingConfig.fromMap(Map.ofEntries(
                Map.entry("http.host", "127.0.0.1"),
                Map.entry("http.port", "0"),
                Map.entry("http.max-body-bytes", "4096"),
                Map.entry("http.max-batch-instances", "10"),
                Map.entry("topic.models", "models-test"),
                Map.entry("bootstrap.servers", "broker:9092"),
                Map.entry("kafka.security.protocol", "SSL"),
                Map.entry("kafka.request.timeout.ms", "5000"),
                Map.entry("snapshot.interval.ms", "5000"),
                Map.entry("models.keep-versions", "5"),
                Map.entry("topic.pins", "pins-test"),
                Map.entry("admin.token", "s3cret"),
                Map.entry("topic.predictions", "predictions-test"),
                Map.entry("topic.labels", "labels-test"),
                Map.entry("serving.log-sample-rate", "0.25"),
                Map.entry("http.request-timeout-ms", "2500"),
                Map.entry("vertx.blocked-thread-check-interval-ms", "100"),
                Map.entry("vertx.max-event-loop-execute-time-ms", "50"),
                Map.entry("snapshot.signing.key", "0123456789abcdef0123456789abcdef"),
                Map.entry("http.event-loops", "3"),
                Map.entry("http.idle-timeout-ms", "30000"),
                Map.entry("http.max-header-bytes", "4096"),
                Map.entry("http.max-initial-line-length", "2048"),
                Map.entry("http.max-connections", "64"),
                Map.entry("labels.token", "labels-s3cret")));

        assertThat(components(config)).isEqualTo(components(ServingConfig.defaults().withHttpHost("127.0.0.1")
                .withHttpPort(0).withMaxBodyBytes(4096).withMaxBatchInstances(10).withModelsTopic("models-test")
                .withBootstrapServers("broker:9092")
                .withKafkaProperties(Map.of("security.protocol", "SSL", "request.timeout.ms", "5000"))
                .withKeepVersions(5).withPinsTopic("pins-test").withAdminToken("s3cret")
                .withPredictionsTopic("predictions-test").withLabelsTopic("labels-test").withLogSampleRate(0.25)
                .withRequestTimeoutMs(2500).withBlockedThreadCheck(100, 50)
                .withSnapshotSigningKey("0123456789abcdef0123456789abcdef").withHttpEventLoops(3)
                .withHttpServer(new HttpServerSettings(30_000, 4096, 2048, 64, null, null))
                .withLabelsToken("labels-s3cret")));
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.kafkaProperties()).isEqualTo(Map.of("security.protocol", "SSL", "request.timeout.ms", "5000"));
        assertThat(config.pinsTopic()).isEqualTo("pins-test");
        assertThat(config.predictionsTopic()).isEqualTo("predictions-test");
        assertThat(config.labelsTopic()).isEqualTo("labels-test");
        assertThat(config.httpServer()).isEqualTo(new HttpServerSettings(30_000, 4096, 2048, 64, null, null));
        assertThat(config.snapshotSigningKey()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(config.labelsToken()).isEqualTo("labels-s3cret");
    }

    @Test
    void neverShowsTheAdminTokenOrKafkaPropertyValues() {
        ServingConfig config = ServingConfig.defaults().withAdminToken("s3cret")
                .withKafkaProperties(Map.of("sasl.jaas.config", "password=hunter2"))
                .withSnapshotSigningKey("a signing key that is long enough!");

        assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("hunter2").contains("adminToken=***")
                .doesNotContain("long enough").contains("snapshotSigningKey=***");
    }

    @Test
    void eachWitherChangesItsOwnComponentAndNoOther() {
        ServingConfig base = ServingConfig.defaults();
        Map<String, ServingConfig> changed = Map.ofEntries(
                Map.entry("httpHost", base.withHttpHost("127.0.0.1")),
                Map.entry("httpPort", base.withHttpPort(1)),
                Map.entry("maxBodyBytes", base.withMaxBodyBytes(2)),
                Map.entry("maxBatchInstances", base.withMaxBatchInstances(3)),
                Map.entry("modelsTopic", base.withModelsTopic("m")),
                Map.entry("bootstrapServers", base.withBootstrapServers("b:1")),
                Map.entry("kafkaProperties", base.withKafkaProperties(Map.of("client.id", "c"))),
                Map.entry("keepVersions", base.withKeepVersions(4)),
                Map.entry("pinsTopic", base.withPinsTopic("p")),
                Map.entry("adminToken", base.withAdminToken("t")),
                Map.entry("predictionsTopic", base.withPredictionsTopic("pr")),
                Map.entry("labelsTopic", base.withLabelsTopic("l")),
                Map.entry("logSampleRate", base.withLogSampleRate(0.5)),
                Map.entry("requestTimeoutMs", base.withRequestTimeoutMs(5)),
                Map.entry("blockedThreadCheckIntervalMs",
                        base.withBlockedThreadCheck(6, base.maxEventLoopExecuteTimeMs())),
                Map.entry("maxEventLoopExecuteTimeMs",
                        base.withBlockedThreadCheck(base.blockedThreadCheckIntervalMs(), 7)),
                Map.entry("snapshotSigningKey", base.withSnapshotSigningKey("0123456789abcdef0123456789abcdef")),
                Map.entry("httpEventLoops", base.withHttpEventLoops(base.httpEventLoops() + 1)),
                Map.entry("httpServer", base.withHttpServer(HttpServerSettings.defaults().withMaxConnections(9))),
                Map.entry("labelsToken", base.withLabelsToken("lt")));
        Map<String, Object> before = components(base);

        assertThat(changed.keySet()).containsExactlyInAnyOrderElementsOf(before.keySet());
        for (Map.Entry<String, ServingConfig> entry : changed.entrySet()) {
            Map<String, Object> after = components(entry.getValue());
            List<String> differing = new ArrayList<>();
            before.forEach((name, value) -> {
                if (!Objects.equals(value, after.get(name))) {
                    differing.add(name);
                }
            });
            assertThat(differing).as(entry.getKey()).containsExactly(entry.getKey());
        }
    }

    @Test
    void neverShowsTheLabelsToken() {
        assertThat(ServingConfig.defaults().withLabelsToken("labels-s3cret").toString())
                .doesNotContain("labels-s3cret").contains("labelsToken=***");
    }

    @Test
    void refusesHttpServerLimitsOutOfRangeAndHalfATlsConfiguration() {
        ServingConfig config = ServingConfig.defaults().withLabelsToken(" ").withHttpServer(
                new HttpServerSettings(0, 0, -1, 0, "no/such/cert.pem", null));

        assertThatThrownBy(config::validate)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.idle-timeout-ms must be positive, got 0")
                .hasMessageContaining("http.max-header-bytes must be positive, got 0")
                .hasMessageContaining("http.max-initial-line-length must be positive, got -1")
                .hasMessageContaining("http.max-connections must be positive, got 0")
                .hasMessageContaining("http.tls.cert-path and http.tls.key-path must be set together")
                .hasMessageContaining("http.tls.cert-path names no readable file: no/such/cert.pem")
                .hasMessageContaining("labels.token must not be blank");
    }

    @Test
    void refusesASigningKeyTooShortWithoutShowingIt() {
        assertThatThrownBy(() -> ServingConfig.fromMap(Map.of("snapshot.signing.key", "short-key")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshot.signing.key")
                .hasMessageNotContaining("short-key");
    }

    @Test
    void absentKeysKeepTheirDefaults() {
        assertThat(components(ServingConfig.fromMap(Map.of()))).isEqualTo(components(ServingConfig.defaults()));
    }

    @Test
    void validationNamesEveryKeyAtFault() {
        ServingConfig config = ServingConfig.defaults().withHttpPort(70_000).withMaxBodyBytes(0)
                .withMaxBatchInstances(-1).withModelsTopic(" ").withBootstrapServers("").withKeepVersions(0)
                .withPinsTopic("").withAdminToken(" ").withLogSampleRate(1.5).withRequestTimeoutMs(0)
                .withBlockedThreadCheck(0, -1);

        assertThatThrownBy(config::validate)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.port must be between 0 and 65535, got 70000")
                .hasMessageContaining("http.max-body-bytes must be positive, got 0")
                .hasMessageContaining("http.max-batch-instances must be positive, got -1")
                .hasMessageContaining("topic.models must not be empty")
                .hasMessageContaining("bootstrap.servers must not be empty")
                .hasMessageContaining("models.keep-versions must be positive, got 0")
                .hasMessageContaining("topic.pins must not be empty")
                .hasMessageContaining("admin.token must not be blank")
                .hasMessageContaining("serving.log-sample-rate must be between 0 and 1, got 1.5")
                .hasMessageContaining("http.request-timeout-ms must be positive, got 0")
                .hasMessageContaining("vertx.blocked-thread-check-interval-ms must be positive, got 0")
                .hasMessageContaining("vertx.max-event-loop-execute-time-ms must be positive, got -1");
    }

    @Test
    void nonNumericValueIsRefusedWithItsKey() {
        assertThatThrownBy(() -> ServingConfig.fromMap(Map.of("http.port", "eighty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid serving configuration: http.port must be an integer, not 'eighty'");
        assertThatThrownBy(() -> ServingConfig.fromMap(Map.of("serving.log-sample-rate", "half")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid serving configuration: serving.log-sample-rate must be a number, not 'half'");
    }

    @Test
    void aBareKafkaPrefixNamesNoProperty() {
        assertThat(ServingConfig.fromMap(Map.of("kafka.", "x", "kafka.client.id", "serving")).kafkaProperties())
                .isEqualTo(Map.of("client.id", "serving"));
    }

    @Test
    void kafkaPropertiesTheFollowerSetsItselfAreRefused() {
        assertThatThrownBy(() -> ServingConfig.fromMap(Map.of("kafka.isolation.level", "read_uncommitted",
                "kafka.bootstrap.servers", "elsewhere:9092")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.isolation.level is set by the model follower itself")
                .hasMessageContaining("kafka.bootstrap.servers is set by the model follower itself; use "
                        + "bootstrap.servers");
    }

    /** Files written for the first releases keep working: the old keys are read as the topic.* ones, with a WARN. */
    @Test
    void readsTheOldTopicKeysAsDeprecatedAliasesWithAWarningNamingTheNewKey() {
        Logger log = (Logger) LoggerFactory.getLogger(KnownKeys.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        log.addAppender(warnings);
        try {
            ServingConfig config = ServingConfig.fromMap(Map.of("models.topic", "old-models", "pins.topic", "old-pins",
                    "predictions.topic", "old-predictions", "labels.topic", "old-labels"));

            assertThat(config.modelsTopic()).isEqualTo("old-models");
            assertThat(config.pinsTopic()).isEqualTo("old-pins");
            assertThat(config.predictionsTopic()).isEqualTo("old-predictions");
            assertThat(config.labelsTopic()).isEqualTo("old-labels");
            assertThat(warnings.list).filteredOn(event -> event.getLevel() == Level.WARN)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .contains("Configuration key 'models.topic' is deprecated; use 'topic.models'",
                            "Configuration key 'pins.topic' is deprecated; use 'topic.pins'",
                            "Configuration key 'predictions.topic' is deprecated; use 'topic.predictions'",
                            "Configuration key 'labels.topic' is deprecated; use 'topic.labels'");
        } finally {
            log.detachAppender(warnings);
        }
    }

    @Test
    void refusesAnOldKeyThatContradictsItsNewKey() {
        assertThatThrownBy(() -> ServingConfig.fromMap(Map.of("models.topic", "a", "topic.models", "b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'models.topic' (deprecated) is 'a' but 'topic.models' is 'b'");
        assertThat(ServingConfig.fromMap(Map.of("models.topic", "same", "topic.models", "same")).modelsTopic())
                .isEqualTo("same");
    }

    @Test
    void refusesAKeyNoServiceReadsNamingTheClosestKnownKey() {
        assertThatThrownBy(() -> ServingConfig.fromMap(Map.of("http.max-body-byte", "10", "snapshot.intervl.ms", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid serving configuration: ")
                .hasMessageContaining("unknown key 'http.max-body-byte' (did you mean 'http.max-body-bytes'?)")
                .hasMessageContaining("unknown key 'snapshot.intervl.ms' (did you mean 'snapshot.interval.ms'?)");
        assertThat(ServingConfig.fromMap(Map.of("drift.window.size", "500", "retrain.trials", "3",
                "kafka.anything.at.all", "x")).httpPort()).isEqualTo(8080);
    }

    @Test
    void namesTheKeyOfAValueThatDoesNotParse() {
        assertThatThrownBy(() -> ServingConfig.fromMap(Map.of("http.port", "eighty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid serving configuration: http.port must be an integer, not 'eighty'");
    }

    /** Every value the server reads, by accessor name. */
    private static Map<String, Object> components(ServingConfig config) {
        Map<String, Object> components = new java.util.LinkedHashMap<>();
        components.put("httpHost", config.httpHost());
        components.put("httpPort", config.httpPort());
        components.put("maxBodyBytes", config.maxBodyBytes());
        components.put("maxBatchInstances", config.maxBatchInstances());
        components.put("modelsTopic", config.modelsTopic());
        components.put("bootstrapServers", config.bootstrapServers());
        components.put("kafkaProperties", config.kafkaProperties());
        components.put("keepVersions", config.keepVersions());
        components.put("pinsTopic", config.pinsTopic());
        components.put("adminToken", config.adminToken());
        components.put("predictionsTopic", config.predictionsTopic());
        components.put("labelsTopic", config.labelsTopic());
        components.put("logSampleRate", config.logSampleRate());
        components.put("requestTimeoutMs", config.requestTimeoutMs());
        components.put("blockedThreadCheckIntervalMs", config.blockedThreadCheckIntervalMs());
        components.put("maxEventLoopExecuteTimeMs", config.maxEventLoopExecuteTimeMs());
        components.put("snapshotSigningKey", config.snapshotSigningKey());
        components.put("httpEventLoops", config.httpEventLoops());
        components.put("httpServer", config.httpServer());
        components.put("labelsToken", config.labelsToken());
        return components;
    }
}
