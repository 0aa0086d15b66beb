package io.streamlearn.cli;

import io.streamlearn.core.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The three layers of a service command's settings: a properties file, {@code STREAMLEARN_*} environment variables,
 * then {@code --set}, each overriding the one before (docs/configuration.md). A command's own flags are shorthands for
 * keys: a flag fills its key, and a flag given with a different value for a key set in any layer is an error naming
 * both, never a silent override.
 */
public final class SettingsOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of the ${COMMAND-NAME} command (keys: docs/configuration.md); STREAMLEARN_* "
                    + "environment variables and --set override it")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set kafka.security.protocol=SASL_SSL (repeatable)")
    Map<String, String> settings = new HashMap<>();

    /**
     * A command-line flag that stands for a settings key.
     *
     * @param option the flag, e.g. {@code --port}
     * @param key    the key it sets, e.g. {@code http.port}
     * @param value  its value, {@code null} when the flag was not given
     */
    public record Flag(String option, String key, Object value) {
    }

    /**
     * @param flags the command's flags; those given set their keys
     * @throws IOException              when the properties file cannot be read
     * @throws IllegalArgumentException when a flag and its key are both given with different values (the values are
     *                                  not shown: some are secrets)
     */
    public Map<String, String> merged(Flag... flags) throws IOException {
        Map<String, String> merged = Settings.merge(Settings.read(configFile), System.getenv(), settings);
        for (Flag flag : flags) {
            if (flag.value() == null) {
                continue;
            }
            String value = flag.value().toString();
            String explicit = merged.put(flag.key(), value);
            if (explicit != null && !explicit.equals(value)) {
                throw new IllegalArgumentException(flag.option() + " and " + flag.key() + " (from --config, STREAMLEARN_* "
                        + "or --set) are both given, with different values; give the setting once");
            }
        }
        return merged;
    }
}
