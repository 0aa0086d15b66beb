package io.streamlearn.runtime.health;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fatal failure of one long-running part of a process (a Kafka Streams client, a topic follower's thread, a work
 * loop): recorded once, logged once at ERROR with its cause and what to do, and never cleared, since a part that
 * failed stays failed until its process restarts. Serving's {@code Liveness} turns the parts of a process into
 * {@code GET /health/live} and the {@code streamlearn_service_*} meters.
 */
public final class PartFailure {

    private static final Logger LOG = LoggerFactory.getLogger(PartFailure.class);
    /** A reason goes into a health answer and a log line; an exception's message can be as long as a record. */
    static final int MAX_REASON_CHARS = 600;
    private static final int MAX_CAUSE_DEPTH = 32;

    private final String part;
    private final String onRestart;
    private final AtomicReference<String> reason = new AtomicReference<>();

    /**
     * @param part      a short fixed name, e.g. {@code "trainer"}: a metric tag, so never built from data
     * @param onRestart what a restart of the process does for this part, for the log, e.g. "it re-reads its topic from
     *                  the beginning"
     */
    public PartFailure(String part, String onRestart) {
        this.part = Objects.requireNonNull(part, "part");
        this.onRestart = Objects.requireNonNull(onRestart, "onRestart");
    }

    public String part() {
        return part;
    }

    /**
     * Records the part as failed, unless it failed before, and logs it once.
     *
     * @param why   what stopped, naming the part, e.g. "the trainer's Kafka Streams client stopped"
     * @param cause the exception that stopped it, or {@code null} when there is none (a state change)
     * @return whether this call recorded the failure (false when the part had failed already)
     */
    public boolean record(String why, Throwable cause) {
        String text = bounded(cause == null ? why : why + ": " + describe(cause));
        if (!reason.compareAndSet(null, text)) {
            return false;
        }
        LOG.error("Part '{}' failed: {}. GET /health/live answers 503 from now on, and the process does not recover by "
                + "itself: restart it ({}). If it fails again the same way, see the runbook StreamlearnPartFailed in "
                + "docs/operations.md.", part, text, onRestart, cause);
        return true;
    }

    /** Why the part stopped, or empty while it runs. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason.get());
    }

    /**
     * Whether a failure met while handling one record leaves the process unable to go on: a {@link VirtualMachineError}
     * other than running out of heap or stack ({@link InternalError}, {@link UnknownError}: the JVM itself is broken).
     * An {@link OutOfMemoryError} or {@link StackOverflowError} met while decoding one record is that record's doing
     * (a hostile snapshot can ask for either): what it allocated is garbage once its handler returns, so the record is
     * rejected and the part goes on; anything else thrown for a record is the record's fault too.
     */
    public static boolean isFatal(Throwable failure) {
        return failure instanceof VirtualMachineError
                && !(failure instanceof OutOfMemoryError) && !(failure instanceof StackOverflowError);
    }

    /**
     * For a handler that catches {@code Throwable} per record: throws the failure again when it {@link #isFatal is
     * fatal}, so that it reaches the part's own catch and is {@link #record recorded}; returns otherwise.
     */
    public static void rethrowIfFatal(Throwable failure) {
        if (isFatal(failure)) {
            throw (VirtualMachineError) failure;
        }
    }

    /**
     * The exception on one line, with its root cause when the message does not already say it (Kafka wraps a
     * producer's {@code RecordTooLargeException} in a {@code StreamsException}, for one).
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; depth < MAX_CAUSE_DEPTH && root.getCause() != null && root.getCause() != root; depth++) {
            root = root.getCause();
        }
        String text = failure.toString();
        if (root != failure && !text.contains(root.getClass().getName())) {
            text += " (caused by " + root + ")";
        }
        return bounded(text);
    }

    private static String bounded(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_REASON_CHARS ? line : line.substring(0, MAX_REASON_CHARS - 1) + "…";
    }
}
