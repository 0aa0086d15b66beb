package io.streamlearn.trainer.kafka;

import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Commits as soon as a processor's input goes quiet. Under exactly-once the trainer's transactions span the long
 * commit interval while a backlog is processed ({@link TrainerTopology#EXACTLY_ONCE_COMMIT_INTERVAL_MS}); once the
 * input is drained, its outputs become readable within {@link #CHECK}, as with Kafka's 100 ms default, instead of
 * waiting up to the whole interval.
 */
public final class QuietCommit {

    /** How often the input is checked for quiet (Kafka's exactly-once default commit interval). */
    public static final Duration CHECK = Duration.ofMillis(100);

    private final ProcessorContext<?, ?> context;
    private long recordsSinceCheck;
    private boolean uncommitted;

    private QuietCommit(ProcessorContext<?, ?> context) {
        this.context = context;
    }

    /** Starts checking; call from the processor's {@code init}. */
    public static QuietCommit schedule(ProcessorContext<?, ?> context) {
        QuietCommit quiet = new QuietCommit(context);
        context.schedule(CHECK, PunctuationType.WALL_CLOCK_TIME, quiet::commitIfQuiet);
        return quiet;
    }

    /** Notes a record processed; call from the processor's {@code process}. */
    public void processed() {
        recordsSinceCheck++;
        uncommitted = true;
    }

    private void commitIfQuiet(long wallClock) {
        if (recordsSinceCheck == 0 && uncommitted) {
            context.commit();
            uncommitted = false;
        }
        recordsSinceCheck = 0;
    }
}
