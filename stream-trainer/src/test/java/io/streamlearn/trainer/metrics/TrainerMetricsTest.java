package io.streamlearn.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamlearn.core.event.RejectReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerMetricsTest {

    /**
     * Prometheus' increase() sees nothing of a series' first sample, so a counter born at its first increment would
     * hide the first dead letter or unmatched label from an alert: they exist at zero from the start.
     */
    @Test
    void alertableCountersExistAtZeroBeforeAnyRecord() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(registry);

        metrics.preRegister(List.of("electricity"), List.of("events", "labels"));

        for (String topic : List.of("events", "labels")) {
            for (RejectReason reason : RejectReason.values()) {
                assertThat(dlq(registry, reason, topic)).as(reason + " on " + topic).isNotNull()
                        .extracting(Counter::count).isEqualTo(0.0);
            }
        }
        for (String outcome : TrainerMetrics.LABEL_OUTCOMES) {
            assertThat(registry.find("streamlearn.train.labels").tags("model", "electricity", "outcome", outcome)
                    .counter()).as(outcome).isNotNull().extracting(Counter::count).isEqualTo(0.0);
        }
        assertThat(registry.find("streamlearn.train.events").tag("model", "electricity").counter()).isNotNull();

        metrics.deadLetter(RejectReason.UNKNOWN_ID, "labels");
        metrics.label("electricity", "unmatched");

        assertThat(dlq(registry, RejectReason.UNKNOWN_ID, "labels").count()).isEqualTo(1.0);
        assertThat(registry.find("streamlearn.train.labels").tags("model", "electricity", "outcome", "unmatched")
                .counter().count()).isEqualTo(1.0);
    }

    /** Steps of a few microseconds fall in buckets of their own, not all in one lowest bucket of 1 ms. */
    @Test
    void stepTimersHaveMicrosecondBuckets() {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(registry);
        TrainerMetrics.ModelStatus status = metrics.model("electricity");
        for (int i = 0; i < 1000; i++) {
            status.predictionMade(2_000 + i);
        }
        List<String> buckets = registry.scrape().lines()
                .filter(line -> line.startsWith("streamlearn_train_predict_latency_seconds_bucket{")).toList();
        double lowestFull = buckets.stream()
                .filter(line -> count(line) == 1000 && !line.contains("le=\"+Inf\""))
                .mapToDouble(line -> Double.parseDouble(line.replaceAll(".*le=\"([^\"]+)\".*", "$1")))
                .filter(Double::isFinite).min().orElseThrow();
        assertThat(lowestFull).as("the first bucket holding every 2-3 µs step").isLessThan(1e-5);
        assertThat(buckets.stream().filter(line -> count(line) == 0)).as("buckets below the steps").isNotEmpty();
    }

    private static double count(String sample) {
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }

    /** What the stale-snapshot alert reads besides the snapshot's age: zero for a quiet model once it published. */
    @Test
    void countsUpdatesUntilTheNextPublishedSnapshot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainerMetrics metrics = new TrainerMetrics();
        metrics.bindTo(registry);
        TrainerMetrics.ModelStatus status = metrics.model("electricity");
        assertThat(unpublished(registry)).isZero();

        status.eventConsumed();
        status.learned(1_000);
        status.eventConsumed();
        assertThat(unpublished(registry)).isEqualTo(3);

        status.snapshotPublished(System.currentTimeMillis());
        assertThat(unpublished(registry)).isZero();
    }

    private static double unpublished(SimpleMeterRegistry registry) {
        return registry.get("streamlearn.train.unpublished.updates").tag("model", "electricity").gauge().value();
    }

    private static Counter dlq(SimpleMeterRegistry registry, RejectReason reason, String topic) {
        return registry.find("streamlearn.train.dlq").tags("reason", reason.code(), "topic", topic).counter();
    }
}
