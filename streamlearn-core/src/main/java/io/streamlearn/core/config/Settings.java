package io.streamlearn.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flat settings for a module's typed config, from three layers: a properties file, then {@code STREAMLEARN_*}
 * environment variables ({@code STREAMLEARN_SNAPSHOT_INTERVAL_MS} sets {@code snapshot.interval.ms},
 * {@code STREAMLEARN_KAFKA_SASL_JAAS_CONFIG} sets {@code kafka.sasl.jaas.config}, a double underscore is a hyphen:
 * {@code STREAMLEARN_HTTP_MAX__BODY__BYTES} sets {@code http.max-body-bytes}), then explicit values (command-line
 * flags). Later layers win. A config ignores the keys only other services read, so one file can serve several
 * modules, and refuses keys no service reads ({@link KnownKeys}). The environment is shared with the launcher and the
 * orchestrator, so an environment variable that names no known key is left out with a WARN instead, and the
 * launcher's own variables ({@link #LAUNCHER_VARIABLES}) are left out silently.
 */
public final class Settings {

    public static final String ENVIRONMENT_PREFIX = "STREAMLEARN_";

    /** Read by {@code bin/streamlearn} and logback, not settings: JVM options and the log level. */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("STREAMLEARN_JAVA_OPTS", "STREAMLEARN_LOG_LEVEL");

    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

    private Settings() {
    }

    public static Map<String, String> merge(Properties file, Map<String, String> environment,
            Map<String, String> explicit) {
        Map<String, String> merged = new HashMap<>();
        file.stringPropertyNames().forEach(key -> merged.put(key, file.getProperty(key)));
        environment.forEach((name, value) -> {
            if (!name.startsWith(ENVIRONMENT_PREFIX) || LAUNCHER_VARIABLES.contains(name)) {
                return;
            }
            String key = keyOf(name);
            if (KnownKeys.isKnown(key)) {
                merged.put(key, value);
            } else {
                LOG.warn("Environment variable {} ignored: {}", name, KnownKeys.describeUnknown(key));
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
