package io.streamlearn.runtime.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.event.EventCodec;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.Readiness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a service that runs alone, outside the prediction server (the drift monitor, the retrainer): its
 * routes, their OpenAPI document on {@code /openapi.json}, {@code /health/live}, {@code /health/ready} and
 * {@code /metrics}, with a JSON 404 and one failure handler
 * answering {@code {"error": ..., "detail": ...}}. In the demo the same routes are mounted on the prediction server
 * instead ({@link RouteExtension}).
 */
public final class ServiceHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceHttpServer.class);
    private static final long START_STOP_TIMEOUT_SECONDS = 30;

    private final String service;
    private final Vertx vertx;
    private final HttpServer server;
    private final Router router;

    private ServiceHttpServer(String service, Vertx vertx, HttpServer server, Router router) {
        this.service = service;
        this.vertx = vertx;
        this.server = server;
        this.router = router;
    }

    /**
     * @param service  a name for logs and errors, e.g. {@code "drift monitor"}
     * @param port     0 for a free one ({@link #port()})
     * @param liveness the service's long-running parts; its meters are bound to {@code registry} here
     * @param ready    whether it does its work now
     * @throws IllegalStateException when the port cannot be bound
     */
    public static ServiceHttpServer start(String service, int port, RouteExtension routes,
            PrometheusMeterRegistry registry, Liveness liveness, BooleanSupplier ready) {
        liveness.bindTo(registry);
        HealthHandler health = new HealthHandler(Readiness.of(() -> ready.getAsBoolean() ? Optional.empty()
                : Optional.of("the " + service + " is not processing yet"), List::of), liveness);
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            routes.mount(vertx, router);
            routes.openApi().ifPresent(document -> document.mount(router));
            router.get("/health/live").handler(health::live);
            router.get("/health/ready").handler(health::ready);
            // A scrape formats every meter: on a worker thread, off the event loop.
            router.get("/metrics").blockingHandler(context -> context.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()), false);
            router.route().last().handler(context -> error(context, 404, ErrorReply.NOT_FOUND,
                    "no route for " + request(context)));
            router.route().failureHandler(context -> {
                int status = context.failure() instanceof HttpException http ? http.getStatusCode()
                        : context.statusCode();
                ErrorReply.Described reply = ErrorReply.forStatus(status, request(context)).orElseGet(() -> {
                    LOG.warn("{}: request {} failed", service, request(context), context.failure());
                    return ErrorReply.serverFault();
                });
                error(context, reply.status(), reply.code(), reply.detail());
            });
            // The prediction server's default limits (idle timeout, request line and headers), not Vert.x's.
            HttpServer server = vertx.createHttpServer(HttpServerSettings.defaults().options()).requestHandler(router)
                    .listen(port)
                    .await(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("{} HTTP listening on port {}", service, server.actualPort());
            return new ServiceHttpServer(service, vertx, server, router);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("the " + service + "'s HTTP server could not listen on port " + port
                    + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** The routes it answers, as registered (contract tests compare them with the OpenAPI document). */
    public List<Route> routes() {
        return router.getRoutes();
    }

    /** Answers the services' one error body ({@link ErrorReply}), unless the response has ended. */
    public static void error(RoutingContext context, int status, String code, String detail) {
        ErrorReply.send(context, status, code, detail);
    }

    private static String request(RoutingContext context) {
        return context.request().method() + " " + EventCodec.abbreviate(context.request().path());
    }

    @Override
    public void close() {
        try {
            vertx.close().await(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing the {}'s HTTP server failed", service, e);
        }
    }
}
