package io.streamlearn.retrain.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlearn.retrain.kafka.RequestProducer;
import io.streamlearn.retrain.kafka.RunStore;
import io.streamlearn.retrain.run.RetrainRequest;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.runtime.http.BearerToken;
import io.streamlearn.runtime.http.ErrorReply;
import io.streamlearn.runtime.http.OpenApiDocument;
import io.streamlearn.runtime.http.RouteExtension;
import io.streamlearn.runtime.http.ServiceHttpServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retrainer's routes, mounted on its own server or on the demo's prediction server: {@code GET /v1/runs}
 * (newest first, {@code ?model=}, {@code ?limit=}), {@code GET /v1/runs/{id}}, the comparison page {@code GET /runs}
 * and the admin trigger {@code POST /v1/models/{name}/retrain}. Listing, rendering and writing to Kafka run on worker
 * threads, never on the event loop. Errors are answered here as {@code {"error","detail"}}.
 */
public final class RetrainRoutes implements RouteExtension {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEFAULT_LIMIT = 100;

    private final RunStore runs;
    private final RequestProducer requests;
    private final BearerToken token;
    private final LongSupplier clock;

    /** @param adminToken serving's admin token; {@code null} disables the trigger (403) */
    public RetrainRoutes(RunStore runs, RequestProducer requests, String adminToken, LongSupplier clock) {
        this.runs = runs;
        this.requests = requests;
        this.token = BearerToken.of(adminToken);
        this.clock = clock;
    }

    /** Built from docs/contracts/openapi/retrainer.json (the module's pom). */
    @Override
    public Optional<OpenApiDocument> openApi() {
        return Optional.of(OpenApiDocument.load("openapi/retrainer.json"));
    }

    @Override
    public void mount(Vertx vertx, Router router) {
        router.get("/v1/runs").handler(this::list);
        router.get("/v1/runs/:id").handler(this::describe);
        router.get("/runs").handler(this::page);
        router.post("/v1/models/:name/retrain").handler(this::authorize).handler(this::retrain);
    }

    private void list(RoutingContext context) {
        String model = context.request().getParam("model");
        int limit;
        try {
            limit = Integer.parseInt(context.request().getParam("limit", Integer.toString(DEFAULT_LIMIT)));
        } catch (NumberFormatException e) {
            error(context, 400, ErrorReply.INVALID_REQUEST, "limit must be an integer");
            return;
        }
        if (limit < 1) {
            error(context, 400, ErrorReply.INVALID_REQUEST, "limit must be positive");
            return;
        }
        answer(context, 200, context.vertx().executeBlocking(() -> {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("runs");
            runs.list(model, limit).forEach(run -> list.add(JSON.valueToTree(run)));
            return JSON.writeValueAsBytes(body);
        }), "application/json");
    }

    private void describe(RoutingContext context) {
        String id = context.pathParam("id");
        TrainingRun run = runs.find(id).orElse(null);
        if (run == null) {
            error(context, 404, "unknown_run", "no run with id '" + abbreviate(id) + "'");
            return;
        }
        answer(context, 200, context.vertx().executeBlocking(() -> JSON.writeValueAsBytes(run)), "application/json");
    }

    private void page(RoutingContext context) {
        String model = context.request().getParam("model");
        answer(context, 200, context.vertx().executeBlocking(() -> RunsPage.render(runs.list(model, 50))
                .getBytes(StandardCharsets.UTF_8)), "text/html; charset=utf-8");
    }

    /** As serving's admin routes: no token configured is 403 for everyone, a missing or wrong one 401. */
    private void authorize(RoutingContext context) {
        if (!token.configured()) {
            error(context, 403, ErrorReply.ADMIN_DISABLED, "the admin routes are disabled: no admin token is configured");
            return;
        }
        if (!token.accepts(context.request().getHeader("Authorization"))) {
            context.response().putHeader("WWW-Authenticate", BearerToken.CHALLENGE);
            error(context, 401, ErrorReply.UNAUTHORIZED, "admin routes need 'Authorization: Bearer <admin token>'");
            return;
        }
        context.next();
    }

    private void retrain(RoutingContext context) {
        String model = context.pathParam("name");
        RetrainRequest request = RetrainRequest.of(model, RetrainRequest.ADMIN, clock.getAsLong());
        LOG.info("Admin retrain request for model '{}'", model);
        Future<byte[]> written = context.vertx().executeBlocking(() -> {
            var metadata = requests.send(request).toCompletableFuture().get();
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("model", model)
                    .put("reason", RetrainRequest.ADMIN).put("topic", metadata.topic())
                    .put("partition", metadata.partition()).put("offset", metadata.offset()));
        }, false);
        answer(context, 202, written, "application/json");
    }

    private static void answer(RoutingContext context, int status, Future<byte[]> body, String contentType) {
        body.onSuccess(bytes -> context.response().setStatusCode(status).putHeader("Content-Type", contentType)
                        .end(Buffer.buffer(bytes)))
                .onFailure(failure -> {
                    LOG.warn("{} {} failed", context.request().method(), context.request().path(), failure);
                    error(context, 503, ErrorReply.UNAVAILABLE, "the request could not be answered: " + failure.getMessage());
                });
    }

    static void error(RoutingContext context, int status, String code, String detail) {
        ServiceHttpServer.error(context, status, code, detail);
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
