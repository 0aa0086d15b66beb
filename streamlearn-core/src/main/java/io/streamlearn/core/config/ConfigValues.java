package io.streamlearn.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flat settings (as {@link Settings#merge} builds them) with typed reads that fall back to a default and name the key
 * when a value does not parse: the lookup under every module's typed config. Deprecated keys
 * ({@link KnownKeys#DEPRECATED}) are read as their {@code topic.*} key, with a WARN. Reading a key that
 * {@link KnownKeys} lacks is a programming error and throws, so no code reads a key that docs/configuration.md (checked
 * against the registry) does not list.
 */
public final class ConfigValues {

    private final Map<String, String> values;

    public ConfigValues(Map<String, String> values) {
        this.values = Map.copyOf(KnownKeys.renameDeprecated(values));
    }

    /** One message per key no streamlearn service reads, naming the closest known key ({@link KnownKeys}). */
    public List<String> unknownKeys() {
        return KnownKeys.unknown(values.keySet());
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(declared(key), fallback);
    }

    public long getLong(String key, long fallback) {
        String value = values.get(declared(key));
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + value + "'");
        }
    }

    public int getInt(String key, int fallback) {
        String value = values.get(declared(key));
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + value + "'");
        }
    }

    public double getDouble(String key, double fallback) {
        String value = values.get(declared(key));
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
        }
    }

    /** {@code true} or {@code false} (any case); anything else is refused, so a typo never reads as off. */
    public boolean getBoolean(String key, boolean fallback) {
        String value = values.get(declared(key));
        if (value == null) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
        };
    }

    /** The settings under {@code prefix} (e.g. {@code kafka.}), prefix removed, passed on to a client unchanged. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> selected = new HashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                selected.put(key.substring(prefix.length()), value);
            }
        });
        return selected;
    }

    private static String declared(String key) {
        if (!KnownKeys.isKnown(key)) {
            throw new IllegalStateException("key '" + key + "' is read but not declared in KnownKeys "
                    + "(and docs/configuration.md)");
        }
        return key;
    }
}
