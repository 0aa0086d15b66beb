package io.streamlearn.tools.bench;

import io.streamlearn.core.data.Dataset;

/**
 * Rows of a seeded MOA generator as a dataset the replayer can send, e.g. high-cardinality nominal data from
 * {@code generators.RandomTreeGenerator -o 3 -v 300 -u 5}: the same spec and row count give the same rows.
 */
public final class GeneratedDataset {

    private GeneratedDataset() {
    }

    /** The first {@code rows} instances of the MOA stream {@code spec}, as model {@code model}. */
    public static Dataset of(String model, String spec, int rows) {
        return LabeledStream.moa(model, spec, rows).dataset();
    }
}
