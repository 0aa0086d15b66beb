package io.streamlearn.serve.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Where a prediction request is parsed and predicted. A body of up to {@value #INLINE_BODY_BYTES} bytes (about 90
 * Electricity instances) is handled on the event loop: a Hoeffding tree predicts in a microsecond or two, and a hop
 * to a worker would cost more than the work. Larger bodies go to a worker thread: parsing and predicting the
 * configured maximum of 1000 instances takes tens of milliseconds on a cold JVM or with a large ensemble (about
 * 100 µs per instance for a 10-tree adaptive random forest), which would stall every other request on that event
 * loop ({@code EventLoopTest} holds the server to 50 ms per event-loop task).
 */
final class PredictionWork {

    static final int INLINE_BODY_BYTES = 16 * 1024;

    private PredictionWork() {
    }

    /** Runs {@code answer}, which must end the response; a failure it throws reaches the failure handler. */
    static void run(RoutingContext context, Runnable answer) {
        if (context.body().length() <= INLINE_BODY_BYTES) {
            answer.run();
            return;
        }
        context.vertx().executeBlocking(() -> {
            answer.run();
            return null;
        }, false).onFailure(context::fail);
    }
}
