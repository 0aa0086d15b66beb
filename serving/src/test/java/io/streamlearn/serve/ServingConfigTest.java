package io.streamlearn.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
    }

    @Test
    void readsEveryKeyAndPassesKafkaPropertiesThroughWithoutPrefix() {
        ServingConfig config = ServingConfig.fromMap(Map.of(
                "http.host", "127.0.0.1",
                "http.port", "0",
                "http.max-body-bytes", "4096",
                "http.max-batch-instances", "10",
                "models.topic", "models-test",
                "bootstrap.servers", "broker:9092",
                "kafka.security.protocol", "SSL",
                "kafka.request.timeout.ms", "5000",
                "train.learner", "trees.HoeffdingTree"));

        assertThat(config).isEqualTo(new ServingConfig("127.0.0.1", 0, 4096, 10, "models-test", "broker:9092",
                Map.of("security.protocol", "SSL", "request.timeout.ms", "5000")));
    }

    @Test
    void absentKeysKeepTheirDefaults() {
        assertThat(ServingConfig.fromMap(Map.of())).isEqualTo(ServingConfig.defaults());
    }

    @Test
    void validationNamesEveryKeyAtFault() {
        ServingConfig config = ServingConfig.defaults().withHttpPort(70_000).withMaxBodyBytes(0)
                .withMaxBatchInstances(-1).withModelsTopic(" ").withBootstrapServers("");

        assertThatThrownBy(config::validate)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.port must be between 0 and 65535, got 70000")
                .hasMessageContaining("http.max-body-bytes must be positive, got 0")
                .hasMessageContaining("http.max-batch-instances must be positive, got -1")
                .hasMessageContaining("models.topic must not be empty")
                .hasMessageContaining("bootstrap.servers must not be empty");
    }

    @Test
    void nonNumericValueIsRefusedWithItsKey() {
        assertThatThrownBy(() -> ServingConfig.fromMap(Map.of("http.port", "eighty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.port must be an integer, got 'eighty'");
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
}
