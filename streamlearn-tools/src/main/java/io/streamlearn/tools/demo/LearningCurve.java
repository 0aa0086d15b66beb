package io.streamlearn.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlearn.core.data.Dataset;
import io.streamlearn.core.eval.Evaluation;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.core.learn.Prediction;
import io.streamlearn.core.schema.FeatureSpec;
import io.streamlearn.core.schema.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The prequential learning curve as an outside observer measures it: committed predictions scored against the labels
 * of the replayed rows, with the same evaluator the trainer uses. A point every {@code step} predictions.
 */
public final class LearningCurve {

    /** One point of the curve; window figures cover the evaluator's sliding window. */
    public record Point(long instances, double accuracy, double kappa, double windowAccuracy, double rmse,
            double rocAuc, double ssq) {

        public Point(long instances, double accuracy, double kappa, double windowAccuracy, double rmse) {
            this(instances, accuracy, kappa, windowAccuracy, rmse, Double.NaN, Double.NaN);
        }
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
        Task task = dataset.schema().task();
        if (row < 0 || row >= dataset.rows().size()
                || dataset.rows().get(row).label() == null && !task.unsupervised()) {
            return;
        }
        Object label = dataset.rows().get(row).label();
        Prediction decoded = decode(prediction);
        if (label != null && task != Task.CLUSTER) {
            evaluator.record(encodedLabel(label), decoded);
        }
        evaluator.observe(decoded);
        scored++;
        if (scored % step == 0) {
            points.add(point(evaluator.evaluation()));
        }
    }

    /** One line for progress output: the task's headline figure. */
    public static String headline(Evaluation evaluation) {
        if (evaluation.alerts() != null) {
            return String.format(java.util.Locale.ROOT, "ROC-AUC %s · alerts %,d",
                    evaluation.rocAuc() == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.4f",
                            evaluation.rocAuc()), evaluation.alerts());
        }
        if (evaluation.clusters() != null) {
            return String.format(java.util.Locale.ROOT, "clusters %d · SSQ %.4f", evaluation.clusters(),
                    evaluation.ssq());
        }
        return evaluation.accuracy() != null
                ? String.format(java.util.Locale.ROOT, "accuracy %.4f", evaluation.accuracy())
                : String.format(java.util.Locale.ROOT, "RMSE %.4f", evaluation.rmse());
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
        if (evaluation.alerts() != null) {
            return new Point(evaluation.instances(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    evaluation.rocAuc() == null ? Double.NaN : evaluation.rocAuc(), Double.NaN);
        }
        if (evaluation.clusters() != null) {
            return new Point(evaluation.instances(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    evaluation.window().ssq());
        }
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
        JsonNode value = prediction.path("prediction");
        switch (dataset.schema().task()) {
            case ANOMALY:
                return value.isNumber() ? Prediction.anomaly(value.doubleValue()) : Prediction.none();
            case CLUSTER:
                // The second-nearest distance is not on the topic: the observer's silhouette reads 0.
                return value.isNumber() ? Prediction.cluster(value.intValue(),
                        prediction.path("distance").asDouble(), Double.NaN) : Prediction.none();
            default:
                break;
        }
        if (!target.isNominal()) {
            return Prediction.regression(value.isNumber() ? value.doubleValue() : Double.NaN);
        }
        double[] scores = new double[target.values().size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = prediction.path("scores").path(target.values().get(i)).asDouble();
        }
        return new Prediction(target.indexOf(prediction.path("prediction").asText()), scores);
    }
}
