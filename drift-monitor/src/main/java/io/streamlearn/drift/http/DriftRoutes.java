package io.streamlearn.drift.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.drift.json.DriftJson;
import io.streamlearn.drift.window.LatestReports;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.streamlearn.runtime.http.ErrorReply;
import io.streamlearn.runtime.http.OpenApiDocument;
import io.streamlearn.runtime.http.RouteExtension;
import io.vertx.ext.web.RoutingContext;

/**
 * The drift monitor's own routes, mounted on the standalone service shell (serving's {@code ServiceHttpServer}) or
 * on another one's router (the demo mounts them on the prediction server's port through serving's
 * {@code RouteExtension}):
 * {@code GET /v1/drift/{model}} (JSON) and {@code GET /v1/drift/{model}/report.html} (histograms as inline SVG).
 * Both read snapshots the stream threads publish, so they never block the event loop on a sketch.
 */
public final class DriftRoutes {

    /** Built from docs/contracts/openapi/monitor.json (the module's pom). */
    static final String OPENAPI_RESOURCE = "openapi/monitor.json";

    private DriftRoutes() {
    }

    /** The routes with their OpenAPI document, for the service shell or another server's router. */
    public static RouteExtension extension(LatestReports reports) {
        return RouteExtension.documented(OpenApiDocument.load(OPENAPI_RESOURCE), (vertx, router) -> mount(router,
                reports));
    }

    public static void mount(Router router, LatestReports reports) {
        DriftJson json = new DriftJson();
        router.get("/v1/drift/:model").handler(ctx -> {
            String model = ctx.pathParam("model");
            if (!reports.knows(model)) {
                unknown(ctx, model);
                return;
            }
            ObjectNode body = json.model(model, reports);
            ctx.response().putHeader("Content-Type", "application/json").end(Buffer.buffer(json.bytes(body)));
        });
        router.get("/v1/drift/:model/report.html").handler(ctx -> {
            String model = ctx.pathParam("model");
            if (!reports.knows(model)) {
                unknown(ctx, model);
                return;
            }
            ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(DriftReportPage.render(model,
                    reports));
        });
    }

    private static void unknown(RoutingContext ctx, String model) {
        error(ctx, 404, "unknown_model", "no drift report for model '" + model + "' yet: it has sent no records to"
                + " this instance, or fewer than a reference and a window");
    }

    static void error(RoutingContext ctx, int status, String code, String detail) {
        ErrorReply.send(ctx, status, code, detail);
    }
}
