package io.streamlearn.core.data;

import java.util.Map;

/**
 * One row of a dataset file as an event would carry it: numeric values as {@link Double}, nominal values and
 * timestamps as {@link String}; a missing value is absent from {@code features} or a {@code null} label.
 */
public record LabeledRow(Map<String, Object> features, Object label) {
}
