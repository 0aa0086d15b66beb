package io.streamlearn.retrain.run;

import io.streamlearn.core.schema.FeatureSchema;
import io.streamlearn.retrain.window.TrainingWindow;
import java.util.List;

/** What a run needs from the outside world; the Kafka adapters implement these. */
public final class RunPorts {

    private RunPorts() {
    }

    /** Reads a run's window from the event log. */
    @FunctionalInterface
    public interface WindowSource {

        /** @throws TrainingFailedException when the window cannot be read or holds fewer rows than the minimum */
        TrainingWindow read(String model, FeatureSchema schema, List<RetrainRequest> trigger)
                throws TrainingFailedException;
    }

    /** The current champions of a model. */
    @FunctionalInterface
    public interface ChampionSource {
        Champions champions(String model);
    }

    /** Where runs are recorded ({@code training-runs}). */
    @FunctionalInterface
    public interface RunLog {
        void record(TrainingRun run);
    }

    /**
     * Publishes a winning challenger and its final run record together: the new version on {@code models}, the pin on
     * {@code model-pins}, the run on {@code training-runs}, and its training window's feature values for the drift
     * monitor on {@code drift-references} when there are any.
     */
    @FunctionalInterface
    public interface Promotion {

        /**
         * @param promoted the run's final record, whose {@code promotedVersion} is the version to publish
         */
        void publish(io.streamlearn.core.model.ModelSnapshot challenger, TrainingRun promoted,
                java.util.Optional<io.streamlearn.core.model.TrainingReference> reference);
    }
}
