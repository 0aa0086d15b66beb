package io.streamlearn.core.eval;

import io.streamlearn.core.learn.Prediction;
import java.util.HashSet;
import java.util.Set;

/**
 * Internal quality of a clustering, measured on every assigned event when it is assigned (prequentially, no labels):
 * the mean squared distance to the assigned centre (SSQ per event) and the mean simplified silhouette, cumulative and
 * over the last {@code window} events, and the number of cluster ids in use in the window.
 */
final class ClusterEvaluator implements PrequentialEvaluator {

    private static final long serialVersionUID = 1L;

    private final double[] windowSquared;
    private final double[] windowSilhouette;
    private final int[] windowIds;
    private long assigned;
    private double sumSquared;
    private double sumSilhouette;

    ClusterEvaluator(int windowSize) {
        this.windowSquared = new double[windowSize];
        this.windowSilhouette = new double[windowSize];
        this.windowIds = new int[windowSize];
    }

    @Override
    public void record(double label, Prediction prediction) {
    }

    @Override
    public boolean observe(Prediction prediction) {
        if (!prediction.hasValue()) {
            return false;
        }
        double[] distances = prediction.scores();
        double nearest = distances[0];
        double squared = nearest * nearest;
        double silhouette = silhouette(nearest, distances.length > 1 ? distances[1] : Double.NaN);
        int slot = (int) (assigned % windowSquared.length);
        windowSquared[slot] = squared;
        windowSilhouette[slot] = silhouette;
        windowIds[slot] = prediction.predictedClass();
        sumSquared += squared;
        sumSilhouette += silhouette;
        assigned++;
        return false;
    }

    /** 0 with a single cluster (no second centre) or when the event sits on both. */
    static double silhouette(double a, double b) {
        if (Double.isNaN(b) || Math.max(a, b) == 0) {
            return 0;
        }
        return (b - a) / Math.max(a, b);
    }

    @Override
    public Evaluation evaluation() {
        int size = (int) Math.min(assigned, windowSquared.length);
        double squared = 0;
        double silhouette = 0;
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < size; i++) {
            squared += windowSquared[i];
            silhouette += windowSilhouette[i];
            ids.add(windowIds[i]);
        }
        Evaluation window = Evaluation.cluster(size, ids.size(), size == 0 ? 0 : squared / size,
                size == 0 ? 0 : silhouette / size);
        Evaluation cumulative = Evaluation.cluster(assigned, ids.size(), assigned == 0 ? 0 : sumSquared / assigned,
                assigned == 0 ? 0 : sumSilhouette / assigned);
        return cumulative.withWindow(windowSquared.length, window);
    }
}
