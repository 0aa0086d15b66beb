package io.streamlearn.cli;

import io.streamlearn.core.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The three layers of a service command's settings: a properties file, {@code STREAMLEARN_*} environment variables,
 * then {@code --set} and the command's own flags, each overriding the one before (README, Configuration).
 */
public final class SettingsOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of the ${COMMAND-NAME} command (keys: README, Configuration); STREAMLEARN_* "
                    + "environment variables, --set and the flags override it")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set kafka.security.protocol=SASL_SSL (repeatable)")
    Map<String, String> settings = new HashMap<>();

    /**
     * @param flags the command's own flags as settings keys; they override {@code --set}
     * @throws IOException when the properties file cannot be read
     */
    public Map<String, String> merged(Map<String, String> flags) throws IOException {
        Map<String, String> explicit = new HashMap<>(settings);
        explicit.putAll(flags);
        return Settings.merge(Settings.read(configFile), System.getenv(), explicit);
    }
}
