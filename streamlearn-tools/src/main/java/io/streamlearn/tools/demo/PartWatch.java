package io.streamlearn.tools.demo;

import io.streamlearn.runtime.health.Liveness;
import java.util.Optional;

/**
 * Every wait of the demo pauses here between its looks: each pause first checks that every part the demo drives (the
 * trainer's and the drift monitor's Kafka Streams clients, the server's followers, the retrainer) still runs, and ends
 * the wait with a {@link PartFailedException} once one has failed. So the demo stops within a pause of a failure, and
 * never reports progress of a part that is dead.
 */
final class PartWatch {

    private final Liveness liveness;

    PartWatch(Liveness liveness) {
        this.liveness = liveness;
    }

    void check() throws PartFailedException {
        Optional<String> failure = liveness.failure();
        if (failure.isPresent()) {
            throw new PartFailedException(failure.get());
        }
    }

    void pause(long millis) throws InterruptedException, PartFailedException {
        check();
        Thread.sleep(millis);
        check();
    }
}
