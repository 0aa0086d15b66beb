package io.streamlearn.core.features;

import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.FeatureType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The hashing trick for high-cardinality categories (K. Weinberger et al., "Feature hashing for large scale multitask
 * learning", ICML 2009): a {@code category} column (encoded as a 32-bit hash of its string) becomes {@code buckets}
 * numeric 0/1 columns {@code feature#0 …}, the one at hash mod buckets set. Unseen strings need no schema change;
 * colliding strings share a column. A missing value gives all zeros. Learns nothing.
 */
final class FeatureHashing implements FeatureTransform {

    private static final long serialVersionUID = 1L;

    private final List<FeatureSpec> outputs;
    private final int index;
    private final int buckets;

    FeatureHashing(List<FeatureSpec> inputs, String feature, Integer buckets) {
        this.index = Columns.indexOf(inputs, feature, "hash");
        Columns.requireType(inputs.get(index), "hash", FeatureType.CATEGORY);
        if (buckets == null || buckets < 1) {
            throw new IllegalArgumentException("hash transform of '" + feature + "' needs buckets >= 1");
        }
        this.buckets = buckets;
        this.outputs = Columns.replace(inputs, index,
                Columns.numeric(IntStream.range(0, buckets).mapToObj(i -> feature + "#" + i).toList()));
    }

    /**
     * 32-bit FNV-1a over the UTF-8 bytes (G. Fowler, L. C. Noll, K.-P. Vo; IETF draft-eastlake-fnv): fixed by
     * definition, so every JVM, the trainer and the server hash a string alike. Exact as a double.
     */
    static double hash(String value) {
        int hash = 0x811c9dc5;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }

    @Override
    public List<FeatureSpec> outputs() {
        return outputs;
    }

    @Override
    public double[] apply(double[] row) {
        double[] indicators = new double[buckets];
        if (!Double.isNaN(row[index])) {
            indicators[Math.floorMod((int) row[index], buckets)] = 1.0;
        }
        return Columns.replace(row, index, indicators);
    }

    @Override
    public void learn(double[] row) {
    }
}
