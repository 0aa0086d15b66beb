package io.streamlearn.batch;

import io.streamlearn.core.features.FeaturePipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The labelled rows of a window in event-time order (ties keep stream order), cut into train, validation and test
 * without shuffling: a model is always scored on rows newer than those it learned from, as it will be used. Checks the
 * window first and fails with a {@link RetrainException} that says why.
 *
 * @param train      row indices into the window, oldest first
 * @param validation the next rows
 * @param test       the newest rows
 */
record TimeSplit(int[] train, int[] validation, int[] test, WindowSplit summary) {

    static TimeSplit of(LabeledWindow window, RetrainSettings settings) {
        Objective objective = Objective.of(window.schema());
        List<Integer> labelled = new ArrayList<>();
        Set<Integer> classes = new HashSet<>();
        for (int i = 0; i < window.size(); i++) {
            double label = window.labels()[i];
            if (Double.isNaN(label)) {
                continue;
            }
            checkLabel(objective, i, label);
            classes.add((int) label);
            labelled.add(i);
        }
        int unlabelled = window.size() - labelled.size();
        if (labelled.isEmpty()) {
            throw new RetrainException(RetrainException.Reason.NO_LABELS, "none of the " + window.size()
                    + " rows of the window has a label");
        }
        if (objective.classification() && classes.size() < 2) {
            throw new RetrainException(RetrainException.Reason.ONE_CLASS, "all " + labelled.size()
                    + " labelled rows have the same class '" + window.schema().target().values().get(classes.iterator()
                    .next()) + "'");
        }
        if (labelled.size() < settings.minRows()) {
            throw new RetrainException(RetrainException.Reason.TOO_FEW_ROWS, labelled.size() + " labelled rows, "
                    + "fewer than retrain.min-rows=" + settings.minRows());
        }
        checkSize(window, settings, labelled.size());
        labelled.sort(Comparator.comparingLong(i -> window.times()[i]));
        int[] ordered = labelled.stream().mapToInt(Integer::intValue).toArray();
        int trainEnd = (int) Math.round(ordered.length * settings.trainShare());
        int validationEnd = (int) Math.round(ordered.length * (settings.trainShare() + settings.validationShare()));
        int[] train = Arrays.copyOfRange(ordered, 0, trainEnd);
        int[] validation = Arrays.copyOfRange(ordered, trainEnd, validationEnd);
        int[] test = Arrays.copyOfRange(ordered, validationEnd, ordered.length);
        if (train.length == 0 || validation.length == 0 || test.length == 0) {
            throw new RetrainException(RetrainException.Reason.TOO_FEW_ROWS, labelled.size()
                    + " labelled rows leave an empty split");
        }
        long[] times = window.times();
        WindowSplit summary = new WindowSplit(train.length, validation.length, test.length, unlabelled,
                times[train[0]], times[train[train.length - 1]], times[validation[0]],
                times[validation[validation.length - 1]], times[test[0]], times[test[test.length - 1]]);
        return new TimeSplit(train, validation, test, summary);
    }

    /** Train and validation rows together, in time order: what the final model and the cross-validation learn from. */
    int[] beforeTest() {
        int[] rows = Arrays.copyOf(train, train.length + validation.length);
        System.arraycopy(validation, 0, rows, train.length, validation.length);
        return rows;
    }

    private static void checkLabel(Objective objective, int row, double label) {
        boolean valid = objective.classification()
                ? label >= 0 && label < objective.classCount() && label == Math.rint(label)
                : Double.isFinite(label);
        if (!valid) {
            throw new RetrainException(RetrainException.Reason.BAD_DATA, "row " + row + " has label " + label
                    + (objective.classification() ? ", not a class index below " + objective.classCount()
                    : ", not a finite value"));
        }
    }

    private static void checkSize(LabeledWindow window, RetrainSettings settings, int rows) {
        int columns;
        try {
            columns = FeaturePipeline.of(window.schema()).outputSchema().features().size();
        } catch (IllegalArgumentException e) {
            throw new RetrainException(RetrainException.Reason.BAD_DATA, "schema's feature pipeline is invalid: "
                    + e.getMessage(), e);
        }
        long cells = (long) rows * columns;
        if (cells > settings.maxCells()) {
            throw new RetrainException(RetrainException.Reason.TOO_LARGE, rows + " rows × " + columns + " columns = "
                    + cells + " cells, more than retrain.max-cells=" + settings.maxCells());
        }
    }
}
