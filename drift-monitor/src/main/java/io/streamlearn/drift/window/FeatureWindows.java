package io.streamlearn.drift.window;

import io.streamlearn.drift.statistics.FeatureSample;
import io.streamlearn.drift.statistics.NominalSample;
import io.streamlearn.drift.statistics.NumericSample;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reference window (a model's first {@code referenceSize} records) and the sliding current window (the last
 * {@code windowSize} records, kept as {@code windowSize / windowStep} blocks that merge when it is evaluated).
 * Feature types are taken from the reference: the first non-null value of a feature decides numeric or nominal.
 * Features first seen after the reference are not monitored. A reference can instead be given whole (a batch model's
 * training rows, {@link #closeReference}); it is then complete however many rows it holds.
 */
final class FeatureWindows implements Serializable {

    /** The class's identity before {@code closed} was added, so monitors snapshotted by earlier builds still load. */
    private static final long serialVersionUID = -637581119128656438L;

    private final MonitorSettings settings;
    private final long seed;
    private final Block reference = new Block();
    private final Deque<Block> blocks = new ArrayDeque<>();
    private Block filling;
    private long mismatches;
    /** Values of features beyond {@link MonitorSettings#maxFeatures()}, not monitored; 0 in earlier snapshots. */
    private long unmonitored;
    /** Whether the reference was given whole and takes no more records; false in snapshots of earlier builds. */
    private boolean closed;

    FeatureWindows(MonitorSettings settings, long seed) {
        this.settings = settings;
        this.seed = seed;
    }

    /** A current window to compare with the reference. */
    record Pair(Map<String, FeatureSample> reference, WindowBounds referenceBounds, Map<String, FeatureSample> current,
            WindowBounds currentBounds) {
    }

    /** Adds a record; when it completes a step of a full current window, that window paired with the reference. */
    Optional<Pair> observe(Observation observation) {
        if (!referenceComplete()) {
            addToReference(observation);
            return Optional.empty();
        }
        if (filling == null) {
            filling = newBlock();
        }
        filling.extend(observation);
        filling.samples().forEach((feature, sample) -> count(Block.add(sample, observation.values().get(feature))));
        if (filling.size() < settings.windowStep()) {
            return Optional.empty();
        }
        blocks.addLast(filling);
        filling = null;
        if (blocks.size() > settings.blocksPerWindow()) {
            blocks.removeFirst();
        }
        return blocks.size() == settings.blocksPerWindow() ? Optional.of(pair()) : Optional.empty();
    }

    /** Values whose type did not fit their feature's (counted as neither observed nor missing). */
    long mismatches() {
        return mismatches;
    }

    /** The features monitored: those the reference admitted. */
    Set<String> features() {
        return Collections.unmodifiableSet(reference.samples().keySet());
    }

    /** Values of features the reference saw after it held {@link MonitorSettings#maxFeatures()} features. */
    long unmonitored() {
        return unmonitored;
    }

    boolean referenceComplete() {
        return closed || reference.size() >= settings.referenceSize();
    }

    /**
     * Makes {@code rows} (the newest {@code referenceSize} of them, as a reference built from the stream holds at most
     * that many) the reference, through the same steps as a streamed record, and closes it. Only on fresh windows.
     */
    void closeReference(List<Observation> rows) {
        if (reference.size() > 0) {
            throw new IllegalStateException("the reference already holds " + reference.size() + " records");
        }
        rows.subList(Math.max(0, rows.size() - settings.referenceSize()), rows.size()).forEach(this::addToReference);
        closed = true;
    }

    long referenceSize() {
        return reference.size();
    }

    private void addToReference(Observation observation) {
        reference.extend(observation);
        List<String> unknown = null;
        for (Map.Entry<String, Object> entry : observation.values().entrySet()) {
            Object value = entry.getValue();
            FeatureSample sample = reference.samples().get(entry.getKey());
            if (sample == null && value != null) {
                if (unknown == null) {
                    unknown = new ArrayList<>();
                }
                unknown.add(entry.getKey());
            } else if (sample != null) {
                count(Block.add(sample, value));
            }
        }
        if (unknown != null) {
            // In name order, so which features fit under the limit does not depend on a map's iteration order.
            Collections.sort(unknown);
            for (String feature : unknown) {
                if (reference.samples().size() >= settings.maxFeatures()) {
                    unmonitored++;
                    continue;
                }
                Object value = observation.values().get(feature);
                FeatureSample sample = value instanceof Double
                        ? new NumericSample(settings.ksSampleSize(), seed(feature))
                        : new NominalSample(settings.maxCategories());
                // Earlier records of the reference lacked it: missing there.
                for (long i = 1; i < reference.size(); i++) {
                    sample.addMissing();
                }
                reference.samples().put(feature, sample);
                Block.add(sample, value);
            }
        }
        // A known feature absent from this record is missing.
        reference.samples().forEach((feature, sample) -> {
            if (!observation.values().containsKey(feature)) {
                sample.addMissing();
            }
        });
    }

    private Block newBlock() {
        Block block = new Block();
        int capacity = Math.max(1, settings.ksSampleSize() / settings.blocksPerWindow());
        reference.samples().forEach((feature, like) -> block.samples().put(feature,
                Block.emptyLike(like, capacity, settings.maxCategories(), seed(feature) + blocks.size() + 1)));
        return block;
    }

    private Pair pair() {
        Map<String, FeatureSample> current = new LinkedHashMap<>();
        reference.samples().forEach((feature, like) -> {
            FeatureSample merged = Block.emptyLike(like, settings.ksSampleSize(), settings.maxCategories(),
                    seed(feature));
            blocks.forEach(block -> merged.merge(block.samples().get(feature)));
            current.put(feature, merged);
        });
        WindowBounds bounds = blocks.getFirst().bounds().through(blocks.getLast().bounds());
        return new Pair(reference.samples(), reference.bounds(), current, bounds);
    }

    private long seed(String feature) {
        return seed * 31 + feature.hashCode();
    }

    private void count(boolean fitted) {
        if (!fitted) {
            mismatches++;
        }
    }
}
