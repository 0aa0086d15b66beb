package io.streamlearn.core.model;

import java.util.Objects;

/**
 * One record of the definitions topic: a model's definition, or the mark that it was deleted. The deletion keeps the
 * name's generation and version, so that a later definition under the name continues both.
 *
 * @param definition the definition in force; for a deletion, the last one (may be null when a tombstone or a
 *                   hand-written record named no definition)
 */
public record DefinedModel(String name, ModelDefinition definition, boolean deleted, long generation, long version) {

    public DefinedModel {
        Objects.requireNonNull(name, "name");
        if (!deleted) {
            Objects.requireNonNull(definition, "definition");
        }
    }

    public static DefinedModel defined(ModelDefinition definition) {
        return new DefinedModel(definition.name(), definition, false, definition.generation(), definition.version());
    }

    /** The mark that {@code name} was deleted after {@code last} (null when unknown, e.g. a tombstone). */
    public static DefinedModel deletion(String name, ModelDefinition last, long generation, long version) {
        return new DefinedModel(name, last, true, generation, version);
    }

    /**
     * Whether {@code generation} of this name is over: started afresh since (this record is of a newer generation) or
     * deleted (this record is its deletion). A generation newer than this record is not over, only not known yet.
     */
    public boolean ended(long generation) {
        return this.generation > generation || deleted && this.generation == generation;
    }
}
