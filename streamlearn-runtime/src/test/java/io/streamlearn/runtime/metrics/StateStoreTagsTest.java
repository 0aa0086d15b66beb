package io.streamlearn.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams names a store's id tag after its type; Micrometer's Kafka binder turns {@code rocksdb-state-id} into
 * the tag key {@code rocksdb.state.id}. These are the meters it registers for one metric of two stores.
 */
class StateStoreTagsTest {

    private static final String METER = "kafka.stream.state.uncommitted.bytes";

    @Test
    void storesOfTwoTypesAreBothScrapedUnderOneSetOfTagKeys() {
        try (Telemetry telemetry = Telemetry.create()) {
            registerBothStores(telemetry.registry());

            String page = telemetry.registry().scrape();

            assertThat(page).contains(
                    "kafka_stream_state_uncommitted_bytes{kafka_version=\"4.4.0\",state_id=\"journal\",task_id=\"0_0\"} 7.0",
                    "kafka_stream_state_uncommitted_bytes{kafka_version=\"4.4.0\",state_id=\"events\",task_id=\"0_0\"} 11.0");
        }
    }

    /** What {@link StateStoreTags} is for: a plain Prometheus registry keeps only the first store type's meter. */
    @Test
    void aPlainPrometheusRegistryDropsTheSecondStoreTypesMeter() {
        PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registerBothStores(plain);

        assertThat(plain.scrape()).contains("in_memory_state_id=\"journal\"").doesNotContain("rocksdb_state_id");
        plain.close();
    }

    @Test
    void metersOtherThanStateStoresKeepTheirTags() {
        try (Telemetry telemetry = Telemetry.create()) {
            Gauge.builder("kafka.stream.thread.process.rate", () -> 3).tags("thread.id", "t-1")
                    .register(telemetry.registry());
            Gauge.builder("kafka.stream.state.size", () -> 5).tags("task.id", "0_0").register(telemetry.registry());

            assertThat(telemetry.registry().scrape())
                    .contains("kafka_stream_thread_process_rate{thread_id=\"t-1\"} 3.0")
                    .contains("kafka_stream_state_size{task_id=\"0_0\"} 5.0");
        }
    }

    private static void registerBothStores(MeterRegistry registry) {
        Gauge.builder(METER, () -> 7).tags(Tags.of("kafka.version", "4.4.0", "in.memory.state.id", "journal",
                "task.id", "0_0")).register(registry);
        Gauge.builder(METER, () -> 11).tags(Tags.of("kafka.version", "4.4.0", "rocksdb.state.id", "events",
                "task.id", "0_0")).register(registry);
    }
}
