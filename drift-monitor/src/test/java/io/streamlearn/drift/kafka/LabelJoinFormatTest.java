package io.streamlearn.drift.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The label join reads the waiting entries that earlier builds kept with an index key each, and drops that index. */
class LabelJoinFormatTest {

    private static final String MODEL = Traffic.MODEL;
    private static final Map<String, String> SETTINGS = Map.of("drift.pending.max", "5",
            "drift.pending.ttl.ms", "500000");

    @TempDir
    Path stateDir;

    @Test
    void joinsAndBoundsWaitingEntriesAnEarlierBuildIndexedAndDeletesItsIndex() {
        Map<String, Map<String, Object>> earlier;
        Traffic traffic = new Traffic(31);
        try (MonitorDriver monitor = new MonitorDriver(SETTINGS, stateDir.resolve("a"))) {
            // Predictions e1..e5 wait (numbers 1..5); e5 is joined, so the next number, 6, is past the newest entry.
            for (int i = 1; i <= 5; i++) {
                traffic.next();
                monitor.predictions.pipeInput(MODEL, traffic.prediction(i), Traffic.time(i));
            }
            monitor.labels.pipeInput(MODEL, Traffic.label(5, "a"), Traffic.time(5));
            earlier = earlierLayout(monitor.storeContents());
        }
        try (MonitorDriver monitor = new MonitorDriver(SETTINGS, stateDir.resolve("b"))) {
            monitor.restore(earlier);
            monitor.labels.pipeInput(MODEL, Traffic.label(2, "a"), Traffic.time(6));
            assertThat(monitor.counter("streamlearn.drift.concept.outcomes", "model", MODEL)).isEqualTo(1);
            // e6 is number 6 and the next 7: from e1 (number 1) that is 6 places, more than 5, so e1 is pushed out
            // even though only 4 entries wait (e1, e3, e4, e6): the bound counts places, as the earlier build did.
            traffic.next();
            monitor.predictions.pipeInput(MODEL, traffic.prediction(6), Traffic.time(6));
            assertThat(monitor.counter("streamlearn.drift.pending.dropped", "model", MODEL, "reason", "overflow",
                    "side", "prediction")).isEqualTo(1);
            Map<String, Object> pending = monitor.storeContents().get(DriftMonitorTopology.PENDING_STORE);
            assertThat(pending.keySet()).containsExactlyInAnyOrder(entry("e3"), entry("e4"), entry("e6"),
                    "b\0" + MODEL);
            monitor.labels.pipeInput(MODEL, Traffic.label(1, "a"), Traffic.time(7));
            monitor.labels.pipeInput(MODEL, Traffic.label(3, "a"), Traffic.time(7));
            monitor.labels.pipeInput(MODEL, Traffic.label(6, "a"), Traffic.time(7));
            assertThat(monitor.counter("streamlearn.drift.concept.outcomes", "model", MODEL)).isEqualTo(3);
        }
    }

    /**
     * The pending store as the build before this layout wrote it: an index key {@code o\0model\0n} naming the n-th
     * entry's id (joined ones included until the sweep passed them), the oldest indexed number under {@code h}, the
     * next under {@code n}, and the bytes alone (8 bytes) under {@code b}.
     */
    private static Map<String, Map<String, Object>> earlierLayout(Map<String, Map<String, Object>> contents) {
        Map<String, Object> pending = new HashMap<>(contents.get(DriftMonitorTopology.PENDING_STORE));
        byte[] counters = (byte[]) pending.get("b\0" + MODEL);
        long next = ByteBuffer.wrap(counters, 8, 8).getLong();
        assertThat(next).isEqualTo(6);
        pending.put("b\0" + MODEL, ByteBuffer.allocate(8).putLong(ByteBuffer.wrap(counters).getLong()).array());
        pending.put("n\0" + MODEL, ByteBuffer.allocate(8).putLong(next).array());
        pending.put("h\0" + MODEL, ByteBuffer.allocate(8).putLong(1).array());
        for (int n = 1; n < next; n++) {
            pending.put("o\0" + MODEL + '\0' + n, ("e" + n).getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Map<String, Object>> earlier = new HashMap<>(contents);
        earlier.put(DriftMonitorTopology.PENDING_STORE, pending);
        return earlier;
    }

    private static String entry(String id) {
        return "p\0" + MODEL + '\0' + id;
    }
}
