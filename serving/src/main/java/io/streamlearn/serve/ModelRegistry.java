package io.streamlearn.serve;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The model versions being served, one per model name. A version is swapped in whole: a request looks its model up
 * once and predicts with that fully loaded version, even while a newer one replaces it. Only a newer version
 * replaces the served one, so replaying the {@code models} topic from its beginning, or a late duplicate, never goes
 * back in time.
 */
public final class ModelRegistry {

    /** Told about every version that starts being served, on the thread that offered it. */
    @FunctionalInterface
    public interface Listener {
        void served(ServedModel model);
    }

    private final ConcurrentMap<String, ServedModel> served = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Serves {@code candidate} if its model is not served yet or is served in an older version.
     *
     * @return whether the candidate is now served
     */
    public boolean offer(ServedModel candidate) {
        ServedModel result = served.merge(candidate.name(), candidate,
                (current, offered) -> offered.version() > current.version() ? offered : current);
        if (result != candidate) {
            return false;
        }
        listeners.forEach(listener -> listener.served(candidate));
        return true;
    }

    /** Whether a version would be served if offered; lets a loader skip decoding stale snapshots. */
    public boolean wouldServe(String name, long version) {
        ServedModel current = served.get(name);
        return current == null || version > current.version();
    }

    public Optional<ServedModel> find(String name) {
        return Optional.ofNullable(served.get(name));
    }

    /** The given version of a model, when this server has it. */
    public Optional<ServedModel> find(String name, long version) {
        return find(name).filter(model -> model.version() == version);
    }

    /** Every version of a model this server holds, oldest first. */
    public List<ServedModel> versions(String name) {
        return find(name).stream().toList();
    }

    /** The served versions, ordered by model name. */
    public List<ServedModel> all() {
        return served.values().stream().sorted(Comparator.comparing(ServedModel::name)).toList();
    }

    public boolean isEmpty() {
        return served.isEmpty();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }
}
