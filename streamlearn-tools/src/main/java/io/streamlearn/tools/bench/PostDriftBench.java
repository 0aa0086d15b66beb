package io.streamlearn.tools.bench;

import io.streamlearn.batch.Champion;
import io.streamlearn.batch.Comparison;
import io.streamlearn.batch.RetrainException;
import io.streamlearn.batch.RetrainOutcome;
import io.streamlearn.batch.RetrainPipeline;
import io.streamlearn.batch.RetrainSettings;
import io.streamlearn.batch.TrialListener;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import java.util.ArrayList;
import java.util.List;
import moa.classifiers.core.driftdetection.ADWINChangeDetector;

/**
 * Post-drift accuracy with drift-triggered retraining against the online learner alone, without Kafka: the online
 * learner runs test-then-train over the stream; ADWIN (Bifet and Gavaldà, SDM 2007) watches the 0/1 error of the
 * served model (as the drift monitor watches served predictions and their labels), restarted whenever the served
 * model changes, so a batch model that grows stale triggers the next retrain; when it fires, the harness collects {@code collect} labelled events, trains the batch pipeline on them (all of the new
 * concept once ADWIN has seen the change), and from {@code delay} events later serves the gate's winner
 * (the challenger when promoted, else the better champion on the test split). Both arms see the same predictions of
 * the same online learner; only what is served differs.
 */
public final class PostDriftBench {

    /**
     * One retrain: the detection, the window {@code [from, to)} it trained on, the gate's verdict and what is served
     * from {@code to + delay} on.
     */
    public record Retrain(int detectedAt, int from, int to, boolean promoted, String served, double challengerError,
            double onlineError, long millis, String failure) {
    }

    private record Attempt(Retrain retrain, OnlineLearner winner) {
    }

    /** Accuracy of both arms over each segment after a drift (or detection), and the retrains. */
    public record Result(String stream, int events, double onlineAccuracy, double servedAccuracy,
            List<Segment> segments, List<Retrain> retrains) {
    }

    /** Accuracy of both arms over {@code [from, to)}. */
    public record Segment(int from, int to, double online, double served) {
    }

    private final String learnerSpec;
    private final RetrainSettings settings;
    private final int collect;
    private final int delay;

    public PostDriftBench(String learnerSpec, RetrainSettings settings, int collect, int delay) {
        this.learnerSpec = learnerSpec;
        this.settings = settings;
        this.collect = collect;
        this.delay = delay;
    }

    /**
     * @param segmentStarts positions whose following {@code segmentLength} events are reported (e.g. drift points);
     *                      {@code null} for the end of each retrain's window
     */
    public Result run(LabeledStream stream, int[] segmentStarts, int segmentLength) {
        OnlineLearner online = LearnerFactory.create(learnerSpec, stream.schema());
        ADWINChangeDetector adwin = new ADWINChangeDetector();
        adwin.prepareForUse();
        boolean[] onlineRight = new boolean[stream.size()];
        boolean[] servedRight = new boolean[stream.size()];
        OnlineLearner served = null;
        OnlineLearner lastBatch = null;
        OnlineLearner pending = null;
        int pendingAt = -1;
        int detectedAt = -1;
        List<Retrain> retrains = new ArrayList<>();
        for (int i = 0; i < stream.size(); i++) {
            double[] x = stream.features().get(i);
            int label = (int) stream.labels()[i];
            if (pending != null && i >= pendingAt) {
                served = pending == online ? null : pending;
                pending = null;
                adwin.resetLearning();
            }
            onlineRight[i] = online.predict(x).predictedClass() == label;
            servedRight[i] = served == null ? onlineRight[i] : served.predict(x).predictedClass() == label;
            online.learn(x, label);
            online.observe(x);
            adwin.input(servedRight[i] ? 0 : 1);
            if (adwin.getChange() && detectedAt < 0 && pending == null) {
                detectedAt = i;
            }
            if (detectedAt >= 0 && i - detectedAt + 1 >= collect) {
                Attempt attempt = retrain(stream, detectedAt, detectedAt + 1, i + 1, online, lastBatch, served);
                retrains.add(attempt.retrain());
                pending = attempt.winner();
                pendingAt = i + 1 + delay;
                if (attempt.retrain().promoted()) {
                    lastBatch = attempt.winner();
                }
                detectedAt = -1;
            }
        }
        List<Segment> segments = new ArrayList<>();
        int[] starts = segmentStarts != null ? segmentStarts
                : retrains.stream().mapToInt(Retrain::to).toArray();
        for (int start : starts) {
            int end = Math.min(stream.size(), start + segmentLength);
            segments.add(new Segment(start, end, accuracy(onlineRight, start, end), accuracy(servedRight, start, end)));
        }
        return new Result(stream.name(), stream.size(), accuracy(onlineRight, 0, stream.size()),
                accuracy(servedRight, 0, stream.size()), segments, retrains);
    }

    private Attempt retrain(LabeledStream stream, int detectedAt, int from, int to, OnlineLearner online,
            OnlineLearner lastBatch, OnlineLearner served) {
        List<Champion> champions = new ArrayList<>();
        champions.add(new Champion("online", null, online));
        if (lastBatch != null) {
            champions.add(new Champion("batch", null, lastBatch));
        }
        long start = System.nanoTime();
        try {
            RetrainOutcome outcome = new RetrainPipeline(settings).run(stream.window(from, to), champions,
                    TrialListener.none());
            long millis = (System.nanoTime() - start) / 1_000_000;
            Comparison vsOnline = outcome.gate().comparisons().get(0);
            OnlineLearner winner;
            String name;
            if (outcome.gate().promote()) {
                winner = outcome.challenger();
                name = "challenger";
            } else {
                Comparison best = outcome.gate().comparisons().stream()
                        .min((a, b) -> Double.compare(a.championError(), b.championError())).orElseThrow();
                winner = best.champion().equals("online") ? online : lastBatch;
                name = best.champion();
            }
            return new Attempt(new Retrain(detectedAt, from, to, outcome.gate().promote(), name,
                    vsOnline.challengerError(), vsOnline.championError(), millis, null), winner);
        } catch (RetrainException e) {
            return new Attempt(new Retrain(detectedAt, from, to, false, "unchanged", Double.NaN, Double.NaN,
                    (System.nanoTime() - start) / 1_000_000, e.reason() + ": " + e.getMessage()),
                    served == null ? online : served);
        }
    }

    private static double accuracy(boolean[] right, int from, int to) {
        int correct = 0;
        for (int i = from; i < to; i++) {
            correct += right[i] ? 1 : 0;
        }
        return to > from ? correct / (double) (to - from) : Double.NaN;
    }
}
