package io.streamlearn.core.config;

import io.streamlearn.core.topic.Topic;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every key any streamlearn service reads (docs/configuration.md lists them and {@code ConfigurationDocTest} keeps the
 * two equal). A service refuses a key no service knows, naming the closest known one, so a typo fails at start
 * instead of changing nothing; it accepts every other service's keys, so one file can configure them all. Keys
 * under {@code kafka.} pass through to Kafka clients unchecked.
 */
public final class KnownKeys {

    private static final Logger LOG = LoggerFactory.getLogger(KnownKeys.class);

    /** Every key, sorted by name. */
    public static final List<ConfigKey> ALL = Stream.of(SharedKeys.keys(), TrainerKeys.keys(), ServingKeys.keys(),
            MonitorKeys.keys(), RetrainKeys.keys()).flatMap(List::stream)
            .sorted(Comparator.comparing(ConfigKey::name)).toList();

    /** Names of the keys without a pattern, for the lookup every read does. */
    private static final Set<String> EXACT = ALL.stream().map(ConfigKey::name)
            .filter(name -> name.indexOf('<') < 0 && !name.endsWith("*")).collect(Collectors.toUnmodifiableSet());

    private static final List<ConfigKey> PATTERNS = ALL.stream().filter(key -> !EXACT.contains(key.name())).toList();

    /** The serving and retrainer keys of the first releases, still read in place of the {@code topic.*} ones. */
    public static final Map<String, String> DEPRECATED = deprecated();

    /** Keys further from every known key than this many edits get no suggestion. */
    private static final int MAX_SUGGESTION_DISTANCE = 3;

    private KnownKeys() {
    }

    private static Map<String, String> deprecated() {
        Map<String, String> aliases = new LinkedHashMap<>();
        aliases.put("models.topic", Topic.MODELS.key());
        aliases.put("pins.topic", Topic.PINS.key());
        aliases.put("predictions.topic", Topic.PREDICTIONS.key());
        aliases.put("labels.topic", Topic.LABELS.key());
        return Map.copyOf(aliases);
    }

    /** Whether some service reads {@code key} (deprecated aliases included). */
    public static boolean isKnown(String key) {
        return EXACT.contains(key) || DEPRECATED.containsKey(key) || PATTERNS.stream().anyMatch(known -> known.matches(key));
    }

    /** One message per key of {@code keys} no service reads, sorted, each with the closest known key when near. */
    public static List<String> unknown(Collection<String> keys) {
        return keys.stream().filter(key -> !isKnown(key)).sorted().map(KnownKeys::describeUnknown).toList();
    }

    /** {@code unknown key 'x' (did you mean 'y'?)}, or without the suggestion when no key is near. */
    public static String describeUnknown(String key) {
        return "unknown key '" + key + "'" + closest(key).map(near -> " (did you mean '" + near + "'?)")
                .orElse(" (docs/configuration.md lists every key)");
    }

    /** The known key fewest edits away from {@code key} (Levenshtein), when it is near enough to be a typo. */
    static Optional<String> closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey known : ALL) {
            int distance = distance(key, known.name());
            if (distance < bestDistance) {
                best = known.name();
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(MAX_SUGGESTION_DISTANCE, key.length() / 5) ? Optional.of(best)
                : Optional.empty();
    }

    /**
     * {@code values} with every deprecated key renamed to its {@code topic.*} key, each with a WARN naming the new key.
     *
     * @throws IllegalArgumentException when a deprecated key and its new key are both set to different values
     */
    public static Map<String, String> renameDeprecated(Map<String, String> values) {
        if (DEPRECATED.keySet().stream().noneMatch(values::containsKey)) {
            return values;
        }
        Map<String, String> renamed = new HashMap<>(values);
        DEPRECATED.forEach((old, current) -> {
            String value = renamed.remove(old);
            if (value == null) {
                return;
            }
            String explicit = renamed.putIfAbsent(current, value);
            if (explicit != null && !explicit.equals(value)) {
                throw new IllegalArgumentException("'" + old + "' (deprecated) is '" + value + "' but '" + current
                        + "' is '" + explicit + "'; set only '" + current + "'");
            }
            LOG.warn("Configuration key '{}' is deprecated; use '{}'", old, current);
        });
        return renamed;
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions or substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
