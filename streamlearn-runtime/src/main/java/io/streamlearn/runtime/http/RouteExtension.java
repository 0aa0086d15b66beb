package io.streamlearn.runtime.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Routes another component adds to a prediction server's router, so one process (the demo) answers the drift
 * monitor's and the retrainer's routes on the serving port. Mounted after the serving routes and before the error
 * handlers: a failure in an extension's handler gets the same JSON error bodies and metrics as serving's own.
 * Handlers must not block the event loop.
 */
@FunctionalInterface
public interface RouteExtension {

    void mount(Vertx vertx, Router router);
}
