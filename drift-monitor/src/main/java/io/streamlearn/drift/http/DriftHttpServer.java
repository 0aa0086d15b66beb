package io.streamlearn.drift.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.drift.json.DriftJson;
import io.streamlearn.drift.window.LatestReports;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift monitor's HTTP face: {@code GET /v1/drift/{model}} (the latest window report as JSON),
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}. Routes in one place; every error goes through one
 * failure handler as {@code {"error": ..., "detail": ...}}.
 */
public final class DriftHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriftHttpServer.class);
    private static final long START_STOP_TIMEOUT_SECONDS = 30;
    private static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
        DriftJson json = new DriftJson();
        Router router = Router.router(vertx);
        router.get("/v1/drift/:model").handler(ctx -> {
            String model = ctx.pathParam("model");
            ObjectNode report = reports.of(model).map(json::report).orElse(null);
            if (report == null) {
                error(ctx, 404, "unknown_model", "no drift report for model '" + model + "' yet: it has sent no events"
                        + " to this instance, or fewer than a reference and a window");
            } else {
                ctx.response().putHeader("Content-Type", JSON).end(Buffer.buffer(json.bytes(report)));
            }
        });
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
        ObjectNode body = MAPPER.createObjectNode().put("error", code).put("detail", detail);
        ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.toString());
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
