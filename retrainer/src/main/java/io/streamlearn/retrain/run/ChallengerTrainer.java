package io.streamlearn.retrain.run;

import io.streamlearn.retrain.window.TrainingWindow;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains a challenger on a window and judges it against the champions: the one seam between the retraining service
 * and the batch learner (XGBoost), so the service knows nothing about how models are tuned or gated.
 */
@FunctionalInterface
public interface ChallengerTrainer {

    /**
     * @param trials told about each finished hyperparameter trial, as JSON values, on the training thread
     * @throws TrainingFailedException when no challenger can be trained from this window
     */
    TrainingResult train(TrainingWindow window, Champions champions, Consumer<Map<String, Object>> trials)
            throws TrainingFailedException;
}
