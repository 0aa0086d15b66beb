package io.streamlearn.core.config;

/** The streamlearn services (and the {@code replay} tool) that read settings, named by the command that runs each. */
public enum Service {
    TRAIN("train"), SERVE("serve"), MONITOR("monitor"), RETRAIN("retrain"), REPLAY("replay");

    private final String command;

    Service(String command) {
        this.command = command;
    }

    /** The command that runs the service ({@code train} also runs a prediction server in its process). */
    public String command() {
        return command;
    }
}
