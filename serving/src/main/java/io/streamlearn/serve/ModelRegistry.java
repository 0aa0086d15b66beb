package io.streamlearn.serve;

import io.streamlearn.core.model.ModelMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The model versions this server holds: per model the newest {@code keepVersions} (plus a pinned older one and the
 * newest of each origin), and
 * which of them is served, the newest unless an operator pinned one. Every change replaces a model's immutable
 * {@link Versions} at once, so a request looks its model up once and predicts with that fully loaded version, even
 * while a newer one arrives or a pin changes. Only a version newer than every held one <em>of the same origin</em>
 * (online learner or batch retrainer) is added: the {@code models} topic holds a model's snapshots in one partition
 * in version order per origin, so replaying it from its beginning, or a late duplicate, never goes back in time, and
 * the online learner's counter (1, 2, 3...) keeps loading after a batch version (numbered by its promotion time in
 * epoch milliseconds) arrived. Held versions are kept sorted by version: without a pin the highest is served, which is
 * the newest batch version once there is one.
 */
public final class ModelRegistry {

    public static final int DEFAULT_KEEP_VERSIONS = 3;

    /** Told about every change to a model's versions or pin, on the thread that made it. */
    @FunctionalInterface
    public interface Listener {
        void changed(String model);
    }

    /**
     * One model's held versions, oldest first, and its pin. A pin may name a version this server does not hold
     * (yet, or any more): the newest is then served.
     */
    public record Versions(List<ServedModel> held, OptionalLong pinned) {

        static final Versions NONE = new Versions(List.of(), OptionalLong.empty());

        public Versions {
            held = List.copyOf(held);
            Objects.requireNonNull(pinned, "pinned");
        }

        public Optional<ServedModel> served() {
            if (pinned.isPresent()) {
                Optional<ServedModel> pin = version(pinned.getAsLong());
                if (pin.isPresent()) {
                    return pin;
                }
            }
            return held.isEmpty() ? Optional.empty() : Optional.of(held.get(held.size() - 1));
        }

        public Optional<ServedModel> version(long version) {
            return held.stream().filter(model -> model.version() == version).findFirst();
        }

        /** The held version just older than the served one. */
        public Optional<ServedModel> previous() {
            long served = served().map(ServedModel::version).orElse(Long.MIN_VALUE);
            ServedModel previous = null;
            for (ServedModel model : held) {
                if (model.version() < served) {
                    previous = model;
                }
            }
            return Optional.ofNullable(previous);
        }

        /**
         * The highest held version of this origin ({@link ModelMetadata#ONLINE} or {@link ModelMetadata#BATCH}),
         * {@link Long#MIN_VALUE} when none is held.
         */
        public long newest(String origin) {
            long newest = Long.MIN_VALUE;
            for (ServedModel model : held) {
                if (model.metadata().origin().equals(origin)) {
                    newest = Math.max(newest, model.version());
                }
            }
            return newest;
        }

        /**
         * Adds a version in version order and keeps the highest {@code keep}, the newest of each origin, and the pinned
         * one. Batch versions (epoch milliseconds) outrank every online one: without the newest online version kept, a
         * few promotions would leave none, every new online snapshot would be decoded only to be dropped, and a
         * rollback to the online learner would be impossible.
         */
        Versions with(ServedModel candidate, int keep) {
            List<ServedModel> all = new ArrayList<>(held);
            all.removeIf(model -> model.version() == candidate.version());
            all.add(candidate);
            all.sort(Comparator.comparingLong(ServedModel::version));
            Versions everything = new Versions(all, pinned);
            int firstKept = Math.max(0, all.size() - keep);
            List<ServedModel> kept = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                ServedModel model = all.get(i);
                if (i >= firstKept || isPinned(model)
                        || model.version() == everything.newest(model.metadata().origin())) {
                    kept.add(model);
                }
            }
            return new Versions(kept, pinned);
        }

        private boolean isPinned(ServedModel model) {
            return pinned.isPresent() && pinned.getAsLong() == model.version();
        }
    }

    private final int keepVersions;
    private final ConcurrentMap<String, Versions> models = new ConcurrentHashMap<>();
    /** Models deleted from the definitions topic: not served, and no snapshot of theirs is taken, until defined again. */
    private final Set<String> retired = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public ModelRegistry() {
        this(DEFAULT_KEEP_VERSIONS);
    }

    /** @param keepVersions how many of each model's newest versions are held for {@code versions/{v}} routes */
    public ModelRegistry(int keepVersions) {
        if (keepVersions < 1) {
            throw new IllegalArgumentException("keepVersions must be positive, got " + keepVersions);
        }
        this.keepVersions = keepVersions;
    }

    /**
     * Holds {@code candidate} if it is newer than every held version of its model of the same origin.
     *
     * @return whether the candidate is now held (and served when it is the highest version, unless a pin names another)
     */
    public boolean offer(ServedModel candidate) {
        if (retired.contains(candidate.name())) {
            return false;
        }
        boolean[] added = new boolean[1];
        models.compute(candidate.name(), (name, current) -> {
            Versions versions = current == null ? Versions.NONE : current;
            if (candidate.version() <= versions.newest(candidate.metadata().origin())) {
                return versions;
            }
            Versions next = versions.with(candidate, keepVersions);
            added[0] = next.held().contains(candidate);
            return added[0] ? next : versions;
        });
        if (added[0]) {
            notifyChanged(candidate.name());
        }
        return added[0];
    }

    /** Whether an online version would be held if offered; lets a loader skip decoding stale snapshots. */
    public boolean wouldServe(String name, long version) {
        return wouldServe(name, version, ModelMetadata.ONLINE);
    }

    /** Whether a version of this origin would be held if offered. */
    public boolean wouldServe(String name, long version, String origin) {
        return !retired.contains(name) && version > versions(name).newest(origin);
    }

    /**
     * Stops serving a model deleted from the definitions topic: its versions and pin are dropped and its snapshots,
     * still on the models topic, are no longer taken, until {@link #reinstate} (the model defined again).
     */
    public void retire(String name) {
        retired.add(name);
        if (models.remove(name) != null) {
            notifyChanged(name);
        }
    }

    /** Takes a retired model's snapshots again (a model defined again under the name). */
    public void reinstate(String name) {
        retired.remove(name);
    }

    /** Serves {@code version} whenever this server holds it, until {@link #unpin}; replaces an earlier pin. */
    public void pin(String name, long version) {
        models.compute(name, (key, current) ->
                new Versions((current == null ? Versions.NONE : current).held(), OptionalLong.of(version)));
        notifyChanged(name);
    }

    /** Serves the newest held version again. */
    public void unpin(String name) {
        models.computeIfPresent(name, (key, current) -> new Versions(current.held(), OptionalLong.empty()));
        notifyChanged(name);
    }

    /** The served version of a model: the pinned one when held, else the newest. */
    public Optional<ServedModel> find(String name) {
        return versions(name).served();
    }

    /** The given version of a model, when this server holds it. */
    public Optional<ServedModel> find(String name, long version) {
        return versions(name).version(version);
    }

    /** A model's held versions and pin; empty ones for an unknown model. */
    public Versions versions(String name) {
        return models.getOrDefault(name, Versions.NONE);
    }

    /** The served version of every model, ordered by model name. */
    public List<ServedModel> all() {
        return models.values().stream().flatMap(versions -> versions.served().stream())
                .sorted(Comparator.comparing(ServedModel::name)).toList();
    }

    public boolean isEmpty() {
        return models.values().stream().allMatch(versions -> versions.held().isEmpty());
    }

    public int keepVersions() {
        return keepVersions;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private void notifyChanged(String name) {
        listeners.forEach(listener -> listener.changed(name));
    }
}
