package io.streamlearn.serve.http;

import io.streamlearn.serve.ServedModel;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * The first handler of every request: times it to the end of its response and records it by route template, model
 * version and status, whichever handler answered it (the failure handler included). Routes name their template with
 * {@link #route}, and {@link ModelLookup} names the version a request used with {@link #served}.
 */
final class RequestObserver implements PlatformHandler {

    private static final String ROUTE = "streamlearn.route";
    private static final String MODEL = "streamlearn.model";

    private final RequestMetrics metrics;

    RequestObserver(RequestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext context) {
        long started = System.nanoTime();
        context.addEndHandler(ended -> {
            String route = context.get(ROUTE);
            metrics.recordRequest(route == null ? RequestMetrics.UNMATCHED : route, context.get(MODEL),
                    context.response().getStatusCode(), System.nanoTime() - started);
        });
        context.next();
    }

    /**
     * Marks requests of a route with its template, the {@code route} tag of their meters. A platform handler, as
     * Vert.x's own {@code ResponseTimeHandler} is, so that it may come before the body handler on the route.
     */
    static Handler<RoutingContext> route(String template) {
        return (PlatformHandler) context -> {
            context.put(ROUTE, template);
            context.next();
        };
    }

    static void served(RoutingContext context, ServedModel model) {
        context.put(MODEL, model);
    }
}
