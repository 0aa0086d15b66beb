package io.streamlearn.drift.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded traffic of one classifier, {@value #MODEL}: events with one feature {@code x} ~ N(xShift, 1) (and optionally an
 * inline label), the trainer's prediction of each (class {@code a} with probability {@code shareA}, else {@code b},
 * with scores) and its true label (the prediction with probability {@code accuracy}, else the other class).
 */
final class Traffic {

    static final String MODEL = "shop";
    static final long START = 1_700_000_000_000L;

    private final Random random;
    double xShift;
    double shareA = 0.5;
    double accuracy = 0.9;
    private String predicted;
    private String label;
    private double scoreA;

    Traffic(long seed) {
        this.random = new Random(seed);
    }

    /** Draws event {@code i}: call before {@link #event}, {@link #prediction} and {@link #label}. */
    void next() {
        predicted = random.nextDouble() < shareA ? "a" : "b";
        scoreA = predicted.equals("a") ? 0.5 + 0.5 * random.nextDouble() : 0.5 * random.nextDouble();
        boolean right = random.nextDouble() < accuracy;
        label = right ? predicted : predicted.equals("a") ? "b" : "a";
    }

    byte[] event(int i, boolean inlineLabel) {
        String json = String.format(Locale.ROOT, "{\"id\":\"e%d\",\"ts\":%d,\"features\":{\"x\":%.6f}%s}", i, time(i),
                xShift + random.nextGaussian(), inlineLabel ? ",\"label\":\"" + label + "\"" : "");
        return json.getBytes(StandardCharsets.UTF_8);
    }

    byte[] prediction(int i) {
        return prediction("e" + i, i, null);
    }

    /** A prediction as the serving layer logs it ({@code "source": "serving"}) or, with {@code source} null, the trainer. */
    byte[] prediction(String id, int i, String source) {
        String json = String.format(Locale.ROOT,
                "{\"id\":\"%s\",\"model\":\"%s\",\"version\":1,\"prediction\":\"%s\",\"scores\":{\"a\":%.4f,\"b\":%.4f},"
                        + "\"ts\":%d%s}",
                id, MODEL, predicted, scoreA, 1 - scoreA, time(i),
                source == null ? "" : ",\"source\":\"" + source + "\"");
        return json.getBytes(StandardCharsets.UTF_8);
    }

    String label() {
        return label;
    }

    static byte[] label(int i, String label) {
        return String.format(Locale.ROOT, "{\"id\":\"e%d\",\"model\":\"%s\",\"label\":\"%s\"}", i, MODEL, label)
                .getBytes(StandardCharsets.UTF_8);
    }

    static long time(int i) {
        return START + 1000L * i;
    }
}
