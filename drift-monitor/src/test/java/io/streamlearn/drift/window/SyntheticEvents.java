package io.streamlearn.drift.window;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded events of a model with four features: {@code x} ~ N(0, 1), {@code y} ~ U(0, 10), {@code color} in
 * red/green/blue (50/30/20%), {@code z} ~ N(5, 2) missing 5% of the time. Covariate shifts can be switched on.
 */
final class SyntheticEvents {

    private final Random random;
    private double xShift;
    private double yScale = 1;
    private double redShare = 0.5;
    private double zMissing = 0.05;

    SyntheticEvents(long seed) {
        this.random = new Random(seed);
    }

    SyntheticEvents shiftX(double by) {
        xShift = by;
        return this;
    }

    SyntheticEvents scaleY(double by) {
        yScale = by;
        return this;
    }

    SyntheticEvents redShare(double share) {
        redShare = share;
        return this;
    }

    SyntheticEvents zMissing(double rate) {
        zMissing = rate;
        return this;
    }

    Map<String, Object> next() {
        Map<String, Object> values = new HashMap<>();
        values.put("x", xShift + random.nextGaussian());
        values.put("y", yScale * 10 * random.nextDouble());
        double u = random.nextDouble();
        double rest = (1 - redShare) / 5;
        values.put("color", u < redShare ? "red" : u < redShare + 3 * rest ? "green" : "blue");
        values.put("z", random.nextDouble() < zMissing ? null : 5 + 2 * random.nextGaussian());
        return values;
    }
}
