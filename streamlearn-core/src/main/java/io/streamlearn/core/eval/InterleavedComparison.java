package io.streamlearn.core.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.data.LabeledRow;
import io.streamlearn.core.event.InvalidRecordException;
import io.streamlearn.core.features.FeatureEncoder;
import io.streamlearn.core.learn.LearnerFactory;
import io.streamlearn.core.learn.OnlineLearner;
import io.streamlearn.core.learn.Prediction;
import java.util.ArrayList;
import java.util.List;

/**
 * Several learners on the same stream, as MOA's and CapyMOA's prequential comparisons run them: each event is
 * encoded once, then every learner predicts it, is scored by its own evaluator and learns from it, before the next
 * event. In-process and without Kafka, so the figures compare the learners only (same events, same order, same
 * evaluator as the trainer's).
 */
public final class InterleavedComparison {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One learner's result: its final evaluation, learning curve and the time it spent predicting and learning. */
    public record Result(String learner, Evaluation evaluation, List<CurvePoint> curve, double seconds) {
    }

    /** The headline figure of a task after {@code instances}: accuracy, RMSE, ROC-AUC or SSQ. */
    public record CurvePoint(long instances, double value) {
    }

    private InterleavedComparison() {
    }

    /**
     * @param points how many curve points per learner
     */
    public static List<Result> run(Dataset dataset, List<String> specs, int windowSize, int points) {
        FeatureEncoder encoder = new FeatureEncoder(dataset.schema());
        List<OnlineLearner> learners = new ArrayList<>();
        List<PrequentialEvaluator> evaluators = new ArrayList<>();
        List<List<CurvePoint>> curves = new ArrayList<>();
        long[] nanos = new long[specs.size()];
        for (String spec : specs) {
            learners.add(LearnerFactory.create(spec, dataset.schema()));
            evaluators.add(PrequentialEvaluator.forSchema(dataset.schema(), windowSize));
            curves.add(new ArrayList<>());
        }
        int step = Math.max(1, dataset.rows().size() / Math.max(1, points));
        long seen = 0;
        for (LabeledRow row : dataset.rows()) {
            double[] features;
            double label;
            try {
                features = encoder.encodeFeatures(JSON.valueToTree(row.features()));
                JsonNode labelJson = JSON.valueToTree(row.label());
                label = row.label() == null ? Double.NaN : encoder.encodeLabel(labelJson);
            } catch (InvalidRecordException e) {
                continue;
            }
            seen++;
            for (int i = 0; i < learners.size(); i++) {
                long start = System.nanoTime();
                step(learners.get(i), evaluators.get(i), features, label);
                nanos[i] += System.nanoTime() - start;
                if (seen % step == 0) {
                    curves.get(i).add(new CurvePoint(seen, headline(evaluators.get(i).evaluation())));
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < learners.size(); i++) {
            if (seen % step != 0) {
                curves.get(i).add(new CurvePoint(seen, headline(evaluators.get(i).evaluation())));
            }
            results.add(new Result(specs.get(i), evaluators.get(i).evaluation(), List.copyOf(curves.get(i)),
                    nanos[i] / 1e9));
        }
        return results;
    }

    /** Test-then-train, as the trainer's {@code OnlineModel} does for an event with an inline label. */
    private static void step(OnlineLearner learner, PrequentialEvaluator evaluator, double[] features, double label) {
        Prediction prediction = learner.predict(features);
        if (!Double.isNaN(label)) {
            evaluator.record(label, prediction);
            learner.learn(features, label);
        }
        evaluator.observe(prediction);
        learner.observe(features);
    }

    /** The figure a comparison plots: accuracy, RMSE, ROC-AUC (anomaly) or SSQ (cluster); NaN while undefined. */
    public static double headline(Evaluation evaluation) {
        Double value;
        if (evaluation.accuracy() != null) {
            value = evaluation.accuracy();
        } else if (evaluation.alerts() != null) {
            value = evaluation.rocAuc();
        } else if (evaluation.ssq() != null) {
            value = evaluation.ssq();
        } else {
            value = evaluation.rmse();
        }
        return value == null ? Double.NaN : value;
    }
}
