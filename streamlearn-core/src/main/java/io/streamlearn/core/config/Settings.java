package io.streamlearn.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Flat settings for a module's typed config, from three layers: a properties file, then {@code STREAMLEARN_*}
 * environment variables ({@code STREAMLEARN_SNAPSHOT_INTERVAL_MS} sets {@code snapshot.interval.ms},
 * {@code STREAMLEARN_KAFKA_SASL_JAAS_CONFIG} sets {@code kafka.sasl.jaas.config}, a double underscore is a hyphen:
 * {@code STREAMLEARN_HTTP_MAX__BODY__BYTES} sets {@code http.max-body-bytes}), then explicit values (command-line
 * flags). Later layers win. Keys a config does not know are ignored by it, so one file can serve several modules.
 */
public final class Settings {

    public static final String ENVIRONMENT_PREFIX = "STREAMLEARN_";

    private Settings() {
    }

    public static Map<String, String> merge(Properties file, Map<String, String> environment,
            Map<String, String> explicit) {
        Map<String, String> merged = new HashMap<>();
        file.stringPropertyNames().forEach(key -> merged.put(key, file.getProperty(key)));
        environment.forEach((name, value) -> {
            if (name.startsWith(ENVIRONMENT_PREFIX)) {
                merged.put(keyOf(name), value);
            }
        });
        merged.putAll(explicit);
        return merged;
    }

    /**
     * The key an environment variable sets: the name after {@value #ENVIRONMENT_PREFIX}, lower case, {@code __} read as
     * {@code -} and {@code _} as {@code .} ({@code STREAMLEARN_HTTP_MAX__BODY__BYTES} sets {@code http.max-body-bytes}):
     * environment names cannot hold either character, and Kubernetes passes settings only through them.
     */
    public static String keyOf(String environmentName) {
        return environmentName.substring(ENVIRONMENT_PREFIX.length()).toLowerCase(Locale.ROOT).replace("__", "\u0000")
                .replace('_', '.').replace('\u0000', '-');
    }

    /** The properties of a file, or none when {@code file} is {@code null}. */
    public static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
        }
        return properties;
    }
}
