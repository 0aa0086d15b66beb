package io.streamlearn.core.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The models a deployment defines, by name: what the definitions topic holds, as the services' threads read it. One
 * thread writes (the topic's follower); any thread reads. A name once defined and then deleted stays known as
 * {@link DefinedModel#deleted() deleted}, with its generation, so a model created again under that name starts
 * afresh rather than taking up the old state.
 */
public final class ModelCatalog {

    private final Map<String, DefinedModel> models = new ConcurrentHashMap<>();
    private final List<Consumer<DefinedModel>> listeners = new CopyOnWriteArrayList<>();

    /** A catalog that holds {@code definitions} and never changes: for one process given its models directly. */
    public static ModelCatalog of(Collection<ModelDefinition> definitions) {
        ModelCatalog catalog = new ModelCatalog();
        definitions.forEach(definition -> catalog.apply(DefinedModel.defined(definition)));
        return catalog;
    }

    /** Records a definition or a deletion read from the topic, then tells the listeners (on this thread). */
    public void apply(DefinedModel model) {
        models.put(model.name(), model);
        listeners.forEach(listener -> listener.accept(model));
    }

    /** The model's definition in force, empty when it is not defined (never, or deleted). */
    public Optional<ModelDefinition> find(String name) {
        DefinedModel model = models.get(name);
        return model == null || model.deleted() ? Optional.empty() : Optional.of(model.definition());
    }

    /** The newest record of the name, a deletion included; empty when the name was never defined. */
    public Optional<DefinedModel> record(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /** Whether {@code generation} of {@code name} was deleted or started afresh since ({@link DefinedModel#ended}). */
    public boolean ended(String name, long generation) {
        DefinedModel known = models.get(name);
        return known != null && known.ended(generation);
    }

    /** The models in force, in no particular order. */
    public List<ModelDefinition> definitions() {
        return models.values().stream().filter(model -> !model.deleted()).map(DefinedModel::definition).toList();
    }

    /** True while no record was ever applied: nobody defines models through the topic (cheap, for every record). */
    public boolean isEmpty() {
        return models.isEmpty();
    }

    public boolean isDefined(String name) {
        return find(name).isPresent();
    }

    /** Called with every record applied from now on, on the thread that applies it. */
    public void addListener(Consumer<DefinedModel> listener) {
        listeners.add(listener);
    }
}
