package io.streamlearn.drift.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded {@code events} JSON of one model with four features: {@code x} ~ N(0, 1) plus a switchable shift, {@code y}
 * ~ U(0, 10), {@code color} in red/green/blue (50/30/20%), {@code z} ~ N(5, 2) missing (null) 5% of the time.
 */
final class DriftEvents {

    static final String MODEL = "shop";
    static final long START = 1_700_000_000_000L;

    private final Random random;
    private double xShift;

    DriftEvents(long seed) {
        this.random = new Random(seed);
    }

    void shiftX(double by) {
        xShift = by;
    }

    byte[] event(int i) {
        double u = random.nextDouble();
        String color = u < 0.5 ? "red" : u < 0.8 ? "green" : "blue";
        double z = 5 + 2 * random.nextGaussian();
        String json = String.format(Locale.ROOT,
                "{\"id\":\"e%d\",\"ts\":%d,\"features\":{\"x\":%.6f,\"y\":%.6f,\"color\":\"%s\",\"z\":%s}}",
                i, START + 1000L * i, xShift + random.nextGaussian(), 10 * random.nextDouble(), color,
                random.nextDouble() < 0.05 ? "null" : String.format(Locale.ROOT, "%.6f", z));
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
