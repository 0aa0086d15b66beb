package io.streamlearn.retrain.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.serve.http.RouteExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone retrainer's HTTP face: its routes ({@link RetrainRoutes}), {@code /health/live},
 * {@code /health/ready} and {@code /metrics}. In the demo the same routes are mounted on the prediction server instead.
 */
public final class RetrainHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainHttpServer.class);
    private static final long START_STOP_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final HttpServer server;

    private RetrainHttpServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** @param ready whether the retrainer reads requests and follows its topics */
    public static RetrainHttpServer start(int port, RouteExtension routes, PrometheusMeterRegistry registry,
            BooleanSupplier ready) {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            routes.mount(vertx, router);
            router.get("/health/live").handler(ctx -> health(ctx, true));
            router.get("/health/ready").handler(ctx -> health(ctx, ready.getAsBoolean()));
            // A scrape formats every meter: on a worker thread, off the event loop.
            router.get("/metrics").blockingHandler(ctx -> ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()), false);
            router.route().last().handler(ctx -> RetrainRoutes.error(ctx, 404, "not_found",
                    "no route for " + ctx.request().method() + " " + ctx.request().path()));
            router.route().failureHandler(ctx -> {
                LOG.warn("request {} failed", ctx.request().path(), ctx.failure());
                RetrainRoutes.error(ctx, ctx.statusCode() >= 400 ? ctx.statusCode() : 500, "internal_error",
                        ctx.failure() == null ? "request failed" : String.valueOf(ctx.failure().getMessage()));
            });
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port)
                    .await(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("retrainer HTTP listening on port {}", server.actualPort());
            return new RetrainHttpServer(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("the retrainer's HTTP server could not listen on port " + port + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    private static void health(RoutingContext ctx, boolean up) {
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
                .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }

    @Override
    public void close() {
        try {
            vertx.close().await(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing the retrainer's HTTP server failed", e);
        }
    }
}
