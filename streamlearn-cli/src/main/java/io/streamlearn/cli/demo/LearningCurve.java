package io.streamlearn.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The prequential learning curve as an outside observer measures it: committed predictions scored against the labels
 * of the replayed rows, with the same evaluator the trainer uses. A point every {@code step} predictions.
 */
public final class LearningCurve {

    /** One point of the curve; window figures cover the evaluator's sliding window. */
    public record Point(long instances, double accuracy, double kappa, double windowAccuracy, double rmse) {
    }

    private final Dataset dataset;
    private final String idPrefix;
    private final PrequentialEvaluator evaluator;
    private final int step;
    private final List<Point> points = Collections.synchronizedList(new ArrayList<>());
    private long scored;

    public LearningCurve(Dataset dataset, String model, int step) {
        this.dataset = dataset;
        this.idPrefix = model + "-";
        this.evaluator = PrequentialEvaluator.forSchema(dataset.schema(), PrequentialEvaluator.DEFAULT_WINDOW);
        this.step = step;
    }

    /** Scores one committed prediction (called on the watcher's thread, in topic order). */
    public synchronized void accept(JsonNode prediction) {
        String id = prediction.path("id").asText();
        if (!id.startsWith(idPrefix)) {
            return;
        }
        int row;
        try {
            row = Integer.parseInt(id.substring(idPrefix.length()));
        } catch (NumberFormatException e) {
            return;
        }
        if (row < 0 || row >= dataset.rows().size() || dataset.rows().get(row).label() == null) {
            return;
        }
        evaluator.record(encodedLabel(dataset.rows().get(row).label()), decode(prediction));
        scored++;
        if (scored % step == 0) {
            points.add(point(evaluator.evaluation()));
        }
    }

    public synchronized Evaluation evaluation() {
        return evaluator.evaluation();
    }

    public List<Point> points() {
        synchronized (points) {
            List<Point> copy = new ArrayList<>(points);
            Evaluation last = evaluation();
            if (copy.isEmpty() || copy.get(copy.size() - 1).instances() != last.instances()) {
                copy.add(point(last));
            }
            return copy;
        }
    }

    private static Point point(Evaluation evaluation) {
        if (evaluation.accuracy() != null) {
            return new Point(evaluation.instances(), evaluation.accuracy(), evaluation.kappa(),
                    evaluation.window().accuracy(), Double.NaN);
        }
        return new Point(evaluation.instances(), Double.NaN, Double.NaN, Double.NaN, evaluation.rmse());
    }

    private double encodedLabel(Object label) {
        FeatureSpec target = dataset.schema().target();
        return target.isNominal() ? target.indexOf(label.toString()) : ((Number) label).doubleValue();
    }

    private Prediction decode(JsonNode prediction) {
        FeatureSpec target = dataset.schema().target();
        if (!target.isNominal()) {
            JsonNode value = prediction.path("prediction");
            return Prediction.regression(value.isNumber() ? value.doubleValue() : Double.NaN);
        }
        double[] scores = new double[target.values().size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = prediction.path("scores").path(target.values().get(i)).asDouble();
        }
        return new Prediction(target.indexOf(prediction.path("prediction").asText()), scores);
    }
}
