package io.streamlearn.retrain.window;

import io.streamlearn.core.event.Event;
import io.streamlearn.core.event.Label;

/** Where a record of a window came from, kept beside what it holds so a window can say which offsets it used. */
public final class SourceRecord {

    private SourceRecord() {
    }

    /** An event of the model at {@code events-partition@offset}. */
    public record EventAt(int partition, long offset, long recordTimestamp, Event event) {
    }

    /** A label of the model at {@code labels-partition@offset}. */
    public record LabelAt(int partition, long offset, Label label) {
    }
}
