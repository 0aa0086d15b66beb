package io.streamlearn.trainer.model;

import io.streamlearn.core.model.ModelDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's checkpoint was learned under another definition (learner, schema, alert rule) than the one now in force,
 * within the same generation. Restoring it would feed the learner vectors of another shape (or another learner's
 * bytes), so the trainer refuses the model and says what changed; a definition of a newer generation (written with
 * {@code models update --reset}) starts the model afresh instead (docs/operations.md).
 */
public final class IncompatibleCheckpointException extends IllegalStateException {

    private IncompatibleCheckpointException(String message) {
        super(message);
    }

    static void check(ModelDefinition definition, OnlineModel.Origin origin) {
        List<String> changes = new ArrayList<>(origin.definition(definition.alertRule()).stateChanges(definition));
        if (origin.generation() != definition.generation()) {
            changes.add("generation " + origin.generation() + " is now " + definition.generation());
        }
        if (!changes.isEmpty()) {
            throw new IncompatibleCheckpointException("model '" + definition.name() + "': its checkpoint was "
                    + "learned under another definition (" + String.join("; ", changes) + "). Restore the previous "
                    + "definition, or start the model afresh with `streamlearn models update --reset` "
                    + "(docs/operations.md, \"Changing a model's schema\")");
        }
    }
}
