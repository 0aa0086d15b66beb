package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated hostile records on each of the monitor's inputs (events, predictions, labels), interleaved with good
 * traffic, from a fixed seed: every record is either monitored or counted with a reason, none fails the topology
 * or is skipped as an unforeseen failure, and the good traffic is monitored as if they were not there (issue #14).
 */
class MonitorInputFuzzTest {

    private static final long SEED = 20261205L;
    private static final int HOSTILE_PER_TOPIC = 1500;

    @TempDir
    Path stateDir;

    @Test
    void everyGeneratedRecordIsMonitoredOrCountedAndGoodTrafficIsUnaffected() {
        Map<String, String> settings = new HashMap<>(PredictionAndConceptDriftTopologyTest.SMALL);
        settings.put("drift.max.models", "5");
        try (MonitorDriver monitor = new MonitorDriver(settings, stateDir)) {
            Random random = new Random(SEED);
            Traffic traffic = new Traffic(SEED);
            Hostile hostile = new Hostile(random);
            int good = 0;
            int hostileEvents = 0;
            int hostilePredictions = 0;
            for (int i = 0; i < HOSTILE_PER_TOPIC; i++) {
                traffic.next();
                good++;
                monitor.events.pipeInput(Traffic.MODEL, traffic.event(good, false));
                monitor.predictions.pipeInput(Traffic.MODEL, traffic.prediction(good));
                monitor.labels.pipeInput(Traffic.MODEL, Traffic.label(good, traffic.label()));
                hostileEvents += pipe(monitor.events, hostile.key(), hostile.event(), i);
                hostilePredictions += pipe(monitor.predictions, hostile.key(), hostile.prediction(), i);
                pipe(monitor.labels, hostile.key(), hostile.label(), i);
            }
            for (int i = 0; i < 1500; i++) {
                traffic.next();
                good++;
                monitor.events.pipeInput(Traffic.MODEL, traffic.event(good, false));
            }

            assertThat(monitor.registry.find("streamlearn.drift.record.failures").meters()).isEmpty();
            assertThat(sum(monitor, "streamlearn.drift.events") + sum(monitor, "streamlearn.drift.invalid.events"))
                    .isEqualTo(good + hostileEvents);
            assertThat(sum(monitor, "streamlearn.drift.predictions")
                    + sum(monitor, "streamlearn.drift.invalid.predictions")).isEqualTo(HOSTILE_PER_TOPIC
                    + hostilePredictions);
            // The good model's windows hold every good event (hostile ones of its name that were valid add to them).
            int goodEvents = good;
            assertThat(monitor.reports.of(Traffic.MODEL)).hasValueSatisfying(report ->
                    assertThat(report.current().toPosition()).isGreaterThanOrEqualTo(goodEvents));
            assertThat(sum(monitor, "streamlearn.drift.invalid.events")).isGreaterThan(hostileEvents / 2.0);
        }
    }

    /** Pipes one record, failing with the try's number and the record's start if the topology throws. */
    private static int pipe(TestInputTopic<String, byte[]> topic, String key, byte[] value, int i) {
        assertThatCode(() -> topic.pipeInput(key, value)).as("try %d: key %s, value %s", i, abbreviate(key),
                value == null ? null : abbreviate(new String(value, StandardCharsets.UTF_8))).doesNotThrowAnyException();
        return 1;
    }

    private static double sum(MonitorDriver monitor, String name) {
        return monitor.registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static String abbreviate(String text) {
        return text == null || text.length() < 200 ? text : text.substring(0, 200) + "...";
    }

    /** Records a careless or hostile producer could write: wrong types, odd sizes, odd text, odd structure. */
    private static final class Hostile {

        private final Random random;

        Hostile(Random random) {
            this.random = random;
        }

        String key() {
            return pick(() -> Traffic.MODEL, () -> null, () -> "", () -> "m" + random.nextInt(20),
                    () -> "k".repeat(300), () -> "\u0000\ud83d\ude00\u202e", () -> "shop\u0000chunk0");
        }

        byte[] event() {
            return pick(this::garbage, () -> object("\"id\":" + id() + ",\"ts\":" + value() + ",\"features\":"
                    + features() + (random.nextBoolean() ? ",\"label\":" + value() : "")
                    + (random.nextBoolean() ? ",\"model\":" + value() : "")));
        }

        byte[] prediction() {
            return pick(this::garbage, () -> object("\"id\":" + id() + ",\"model\":" + value() + ",\"prediction\":"
                    + value() + ",\"scores\":" + pick(this::value, this::scores) + ",\"source\":"
                    + pick(this::value, () -> "\"serving\"") + ",\"ts\":" + value()));
        }

        byte[] label() {
            return pick(this::garbage, () -> object("\"id\":" + id() + ",\"label\":" + value()
                    + (random.nextBoolean() ? ",\"model\":" + value() : "")));
        }

        private byte[] object(String fields) {
            return ("{" + fields + "}").getBytes(StandardCharsets.UTF_8);
        }

        private byte[] garbage() {
            return pick(() -> null, () -> new byte[0], () -> bytes(random.nextInt(64)), () -> utf8("[1,2,3]"),
                    () -> utf8("\"text\""), () -> utf8("{\"id\":\"x\",\"features\":{"),
                    () -> utf8("[".repeat(40) + "]".repeat(40)), () -> utf8("{\"a\":" + "{\"a\":".repeat(40) + "1"
                            + "}".repeat(41)), () -> utf8("{\"id\":\"d\",\"id\":\"e\",\"features\":{}}"));
        }

        private String id() {
            return pick(() -> "\"e" + random.nextInt(3000) + "\"", () -> String.valueOf(random.nextLong()), () -> "null",
                    () -> "\"\"", () -> "{\"n\":1}", () -> "\"" + "i".repeat(257) + "\"", () -> "1e400",
                    () -> "\"\\ud800\"");
        }

        private String features() {
            return pick(this::value, () -> {
                StringBuilder features = new StringBuilder("{");
                int count = random.nextInt(5) == 0 ? 2000 : random.nextInt(6);
                for (int f = 0; f < count; f++) {
                    String numbered = "\"f" + f + "\"";
                    features.append(f == 0 ? "" : ",").append(pick(() -> "\"x\"", () -> numbered,
                            () -> "\"" + "n".repeat(300) + "\"", () -> "\"\\u0000\"")).append(':').append(value());
                }
                return features.append('}').toString();
            });
        }

        private String scores() {
            StringBuilder scores = new StringBuilder("{");
            int count = random.nextInt(5) == 0 ? 1500 : random.nextInt(4);
            for (int s = 0; s < count; s++) {
                scores.append(s == 0 ? "" : ",").append("\"c").append(s).append("\":").append(value());
            }
            return scores.append('}').toString();
        }

        private String value() {
            return pick(() -> String.format(Locale.ROOT, "%.4f", random.nextGaussian()), () -> "1e400", () -> "-1e400",
                    () -> "NaN", () -> "null", () -> "true", () -> "\"a\"", () -> "\"b\"", () -> "[1,\"a\"]",
                    () -> "{\"v\":1}", () -> "\"" + "v".repeat(5000) + "\"", () -> "\"" + "w".repeat(70_000) + "\"",
                    () -> "\"\\ud83d\"",
                    () -> String.valueOf(Long.MAX_VALUE) + "0", () -> "\"2026-12-05T00:00:00Z\"", () -> "-5");
        }

        private byte[] bytes(int length) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return bytes;
        }

        private static byte[] utf8(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @SafeVarargs
        private <T> T pick(Supplier<T>... choices) {
            return choices[random.nextInt(choices.length)].get();
        }
    }
}
