package io.streamlearn.drift.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.drift.window.LatestReports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift monitor's HTTP face when it runs alone: its {@link DriftRoutes} ({@code GET /v1/drift/{model}} and
 * {@code /v1/drift/{model}/report.html}), {@code /health/live}, {@code /health/ready} and {@code /metrics}. Routes in one place; every error goes through one
 * failure handler as {@code {"error": ..., "detail": ...}}.
 */
public final class DriftHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriftHttpServer.class);
    private static final long START_STOP_TIMEOUT_SECONDS = 30;
    private static final String JSON = "application/json";

    private final Vertx vertx;
    private final HttpServer server;

    private DriftHttpServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * @param live  whether the monitor runs (or rebalances)
     * @param ready whether it processes records now
     */
    public static DriftHttpServer start(int port, LatestReports reports, PrometheusMeterRegistry registry,
            BooleanSupplier live, BooleanSupplier ready) {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = router(vertx, reports, registry, live, ready);
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port)
                    .await(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("drift monitor HTTP listening on port {}", server.actualPort());
            return new DriftHttpServer(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("the drift monitor's HTTP server could not listen on port " + port + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    private static Router router(Vertx vertx, LatestReports reports, PrometheusMeterRegistry registry,
            BooleanSupplier live, BooleanSupplier ready) {
        Router router = Router.router(vertx);
        DriftRoutes.mount(router, reports);
        router.get("/health/live").handler(ctx -> health(ctx, live.getAsBoolean()));
        router.get("/health/ready").handler(ctx -> health(ctx, ready.getAsBoolean()));
        // A scrape formats every meter: on a worker thread, off the event loop.
        router.get("/metrics").blockingHandler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()), false);
        router.route().last().handler(ctx -> error(ctx, 404, "not_found", "no route for " + ctx.request().path()));
        router.route().failureHandler(ctx -> {
            LOG.warn("request {} failed", ctx.request().path(), ctx.failure());
            error(ctx, ctx.statusCode() >= 400 ? ctx.statusCode() : 500, "internal_error",
                    ctx.failure() == null ? "request failed" : String.valueOf(ctx.failure().getMessage()));
        });
        return router;
    }

    private static void health(RoutingContext ctx, boolean up) {
        ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", JSON)
                .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }

    private static void error(RoutingContext ctx, int status, String code, String detail) {
        DriftRoutes.error(ctx, status, code, detail);
    }

    @Override
    public void close() {
        try {
            vertx.close().await(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing the drift monitor's HTTP server failed", e);
        }
    }
}
