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
    // Gama et al. 2013, fading-factor prequential accuracy: S = hit + α S, N = 1 + α N, accuracy = S / N.
    private double fadingFactor;
    private double fadedHits;
    private double fadedCount;

    ClassificationEvaluator(List<String> labels, int windowSize) {
        this(labels, windowSize, DEFAULT_FADING_FACTOR);
    }

    ClassificationEvaluator(List<String> labels, int windowSize, double fadingFactor) {
        this.fadingFactor = fadingFactor;
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
        fadedHits = (trueClass == predicted ? 1 : 0) + fadingFactor * fadedHits;
        fadedCount = 1 + fadingFactor * fadedCount;
    }

    @Override
    public Evaluation evaluation() {
        Evaluation window = Evaluation.classification(windowed.total(), windowed.correct(), windowed.accuracy(),
                windowed.kappa(), null, windowed.perClass(labels));
        Evaluation evaluation = Evaluation.classification(instances, cumulative.correct(), cumulative.accuracy(),
                cumulative.kappa(),
                rocAuc.macroAuc(), cumulative.perClass(labels)).withWindow(windowTrue.length, window);
        // A checkpoint written before fading figures existed restores with α = 0: no fading figures until reset.
        if (fadingFactor == 0 || fadedCount == 0) {
            return evaluation;
        }
        return evaluation.withFading(fadingFactor, Evaluation.fadingAccuracy(instances, fadedHits / fadedCount));
    }
}
