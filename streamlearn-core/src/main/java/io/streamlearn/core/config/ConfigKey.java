package io.streamlearn.core.config;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One key a service reads: its name, value type, default and meaning, and the services that read it. A name may
 * hold a {@code <placeholder>} segment ({@code anomaly.<model>.threshold}) or end in {@code *} ({@code kafka.*},
 * passed through to Kafka clients), and then stands for every key of that shape.
 *
 * @param name         the key, e.g. {@code snapshot.interval.ms}
 * @param type         {@code string}, {@code int}, {@code long}, {@code double}, {@code boolean}, {@code duration}...
 * @param defaultValue the value when unset, as written in a file; empty when there is none
 * @param meaning      one line, for docs/configuration.md
 * @param readBy       the services that read it
 */
public record ConfigKey(String name, String type, String defaultValue, String meaning, Set<Service> readBy) {

    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z-]+>");

    public ConfigKey {
        readBy = Set.copyOf(readBy);
    }

    public static ConfigKey of(String name, String type, Object defaultValue, String meaning, Service first,
            Service... more) {
        return new ConfigKey(name, type, defaultValue == null ? "" : defaultValue.toString(), meaning,
                EnumSet.of(first, more));
    }

    /** Whether {@code key} is this key or, for a pattern, one of its shape. */
    public boolean matches(String key) {
        if (name.endsWith("*")) {
            return key.startsWith(name.substring(0, name.length() - 1));
        }
        if (name.indexOf('<') < 0) {
            return name.equals(key);
        }
        String[] parts = PLACEHOLDER.split(name, -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
        }
        return key.matches(regex.toString());
    }

    /**
     * The environment variable that sets this key, the inverse of {@link Settings#keyOf}: upper case, {@code -} as
     * {@code __}, {@code .} as {@code _} ({@code http.max-body-bytes} is {@code STREAMLEARN_HTTP_MAX__BODY__BYTES}).
     */
    public String environmentName() {
        return Settings.ENVIRONMENT_PREFIX + name.toUpperCase(Locale.ROOT).replace("-", "__").replace('.', '_');
    }
}
