package io.streamlearn.core.eval;

import io.streamlearn.core.learn.Prediction;
import java.util.List;

/** Accuracy, kappa, per-class precision/recall/F1 and ROC-AUC, cumulative and over the last {@code window} labels. */
final class ClassificationEvaluator implements PrequentialEvaluator {

    private static final long serialVersionUID = 1L;

    private final List<String> labels;
    private final ConfusionMatrix cumulative;
    private final ConfusionMatrix windowed;
    private final RocAucHistogram rocAuc;
    private final int[] windowTrue;
    private final int[] windowPredicted;
    private long instances;

    ClassificationEvaluator(List<String> labels, int windowSize) {
        this.labels = List.copyOf(labels);
        this.cumulative = new ConfusionMatrix(labels.size());
        this.windowed = new ConfusionMatrix(labels.size());
        this.rocAuc = new RocAucHistogram(labels.size());
        this.windowTrue = new int[windowSize];
        this.windowPredicted = new int[windowSize];
    }

    @Override
    public void record(double label, Prediction prediction) {
        int trueClass = (int) label;
        int predicted = prediction.predictedClass();
        cumulative.add(trueClass, predicted, 1);
        rocAuc.add(trueClass, prediction.scores());
        int slot = (int) (instances % windowTrue.length);
        if (instances >= windowTrue.length) {
            windowed.add(windowTrue[slot], windowPredicted[slot], -1);
        }
        windowTrue[slot] = trueClass;
        windowPredicted[slot] = predicted;
        windowed.add(trueClass, predicted, 1);
        instances++;
    }

    @Override
    public Evaluation evaluation() {
        Evaluation window = Evaluation.classification(windowed.total(), windowed.correct(), windowed.accuracy(),
                windowed.kappa(), null, windowed.perClass(labels));
        return Evaluation.classification(instances, cumulative.correct(), cumulative.accuracy(), cumulative.kappa(),
                rocAuc.macroAuc(), cumulative.perClass(labels)).withWindow(windowTrue.length, window);
    }
}
