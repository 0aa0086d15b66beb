package io.streamlearn.serve.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Where a request's predictions run. Up to {@value #INLINE_INSTANCES} instances run on the event loop: a Hoeffding
 * tree predicts in a microsecond or two, and a hop to a worker would cost more than the work. Larger batches run on a
 * worker thread: the configured maximum of 1000 instances takes tens of milliseconds on a cold JVM or with a large
 * ensemble (about 100 µs per instance for a 10-tree adaptive random forest), which would stall every other request on
 * that event loop ({@code EventLoopTest} holds the server to 50 ms per event-loop task).
 */
final class PredictionWork {

    static final int INLINE_INSTANCES = 64;

    private PredictionWork() {
    }

    /** Runs {@code answer}, which must end the response; a failure it throws reaches the failure handler. */
    static void run(RoutingContext context, int instances, Runnable answer) {
        if (instances <= INLINE_INSTANCES) {
            answer.run();
            return;
        }
        context.vertx().executeBlocking(() -> {
            answer.run();
            return null;
        }, false).onFailure(context::fail);
    }
}
