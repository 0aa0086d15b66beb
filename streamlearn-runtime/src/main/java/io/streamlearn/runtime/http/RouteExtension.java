package io.streamlearn.runtime.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.Optional;

/**
 * Routes another component adds to a prediction server's router, so one process (the demo) answers the drift
 * monitor's and the retrainer's routes on the serving port. Mounted after the serving routes and before the error
 * handlers: a failure in an extension's handler gets the same JSON error bodies and metrics as serving's own.
 * Handlers must not block the event loop.
 */
@FunctionalInterface
public interface RouteExtension {

    void mount(Vertx vertx, Router router);

    /** The OpenAPI document of the routes it mounts, answered on {@link OpenApiDocument#PATH} with the host's. */
    default Optional<OpenApiDocument> openApi() {
        return Optional.empty();
    }

    /** {@code routes} described by {@code document}. */
    static RouteExtension documented(OpenApiDocument document, RouteExtension routes) {
        return new RouteExtension() {
            @Override
            public void mount(Vertx vertx, Router router) {
                routes.mount(vertx, router);
            }

            @Override
            public Optional<OpenApiDocument> openApi() {
                return Optional.of(document);
            }
        };
    }
}
