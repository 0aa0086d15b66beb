package io.streamlearn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MonitorCommandTest {

    @Test
    void isRegisteredWithItsOptions() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute("monitor", "--help")).isZero();
        assertThat(out.toString()).contains("--bootstrap-servers", "--config", "--set", "--port");
    }

    @Test
    void anInvalidSettingFailsBeforeConnecting() {
        assertThat(failure("monitor", "--bootstrap-servers", "localhost:1", "--set", "drift.window.size=999"))
                .contains("window size must be a positive multiple of the window step");
    }

    @Test
    void bootstrapServersMayComeFromTheSettingsInsteadOfTheFlag() {
        assertThat(failure("monitor", "--set", "bootstrap.servers=localhost:1", "--set", "drift.window.size=999"))
                .doesNotContain("Missing required option")
                .contains("window size must be a positive multiple of the window step");
    }

    @Test
    void aFlagAndItsKeyGivenWithDifferentValuesFailNamingBoth() {
        assertThat(failure("monitor", "--bootstrap-servers", "localhost:1", "--port", "0", "--set", "http.port=9999"))
                .contains("--port and http.port (from --config, STREAMLEARN_* or --set) are both given, with "
                        + "different values");
    }

    @Test
    void aMisspelledKeyFailsNamingTheClosestKnownKey() {
        assertThat(failure("monitor", "--bootstrap-servers", "localhost:1", "--set", "drift.windw.size=500"))
                .contains("unknown key 'drift.windw.size' (did you mean 'drift.window.size'?)");
    }

    /** Runs a command that must fail, and returns what it wrote to standard error. */
    private static String failure(String... arguments) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));
        assertThat(commandLine.execute(arguments)).isNotZero();
        return err.toString();
    }
}
