package io.streamlearn.serve.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.Readiness;
import io.streamlearn.runtime.http.HealthHandler;
import io.streamlearn.runtime.http.OpenApiDocument;
import io.streamlearn.runtime.http.RouteExtension;
import io.streamlearn.serve.Feedback;
import io.streamlearn.serve.ModelPins;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;

/** Every route of the prediction server, in one place. */
public final class HttpApi {

    /** Built from docs/contracts/openapi/serving.json (serving's pom). */
    static final String OPENAPI_RESOURCE = "openapi/serving.json";

    private HttpApi() {
    }

    /**
     * Bodies over {@link ServingConfig#maxBodyBytes()} are answered 413 {@code body_too_large}, batches over
     * {@link ServingConfig#maxBatchInstances()} 413 {@code too_many_instances}, requests unanswered after
     * {@link ServingConfig#requestTimeoutMs()} 503 {@code request_timeout}. The routes of {@code extensions} are
     * mounted after serving's own.
     */
    public static Router router(Vertx vertx, ServingConfig config, ModelRegistry models, ModelPins pins,
            Feedback feedback, Readiness readiness, Liveness liveness, RequestMetrics metrics,
            PrometheusMeterRegistry meterRegistry, List<RouteExtension> extensions) {
        int maxBatchInstances = config.maxBatchInstances();
        Router router = Router.router(vertx);
        ModelLookup lookup = new ModelLookup(models);
        ModelCatalogHandler catalog = new ModelCatalogHandler(models);
        HealthHandler health = new HealthHandler(readiness, liveness);
        InferenceProtocolHandler v2 = new InferenceProtocolHandler(models, lookup, readiness, liveness);
        // No file uploads: the handler would otherwise create an upload directory in the working directory.
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());

        router.route().handler(new RequestObserver(metrics));
        router.route().handler(HttpApi::refuseUndecodablePath);
        // Answers 503 for a request still unanswered after the timeout (a slow client's body, a stuck handler);
        // first, so that the body handler's wait is covered.
        router.route().handler(TimeoutHandler.create(config.requestTimeoutMs(), ErrorHandler.TIMEOUT_STATUS));
        route(router, HttpMethod.POST, "/v1/models/:name/predict")
                .consumes("application/json")
                .handler(body)
                .handler(new PredictHandler(lookup, metrics, feedback, maxBatchInstances));
        ExplainHandler explain = new ExplainHandler(lookup, maxBatchInstances);
        for (String model : new String[] {"/v1/models/:name", "/v1/models/:name/versions/:version"}) {
            route(router, HttpMethod.POST, model + "/explain").consumes("application/json").handler(body)
                    .handler(explain);
        }
        LabelsHandler labels = new LabelsHandler(lookup, feedback, maxBatchInstances, config.labelsToken());
        route(router, HttpMethod.POST, "/v1/models/:name/labels")
                .consumes("application/json")
                .handler(body)
                .handler(labels::authorize)
                .handler(labels);
        route(router, HttpMethod.POST, "/v1/models/:name/learn")
                .consumes("application/json")
                .handler(body)
                .handler(labels::authorize)
                .handler(new LearnHandler(lookup, feedback, maxBatchInstances));
        AdminHandler admin = new AdminHandler(models, pins, config.adminToken());
        route(router, HttpMethod.POST, "/v1/models/:name/versions/:version/promote")
                .handler(admin::authorize).handler(admin::promote);
        route(router, HttpMethod.POST, "/v1/models/:name/rollback").handler(admin::authorize).handler(admin::rollback);
        route(router, HttpMethod.DELETE, "/v1/models/:name/pin").handler(admin::authorize).handler(admin::unpin);
        route(router, HttpMethod.GET, "/v1/models").handler(catalog::list);
        route(router, HttpMethod.GET, "/v1/models/:name").handler(catalog::describe);
        route(router, HttpMethod.GET, "/v1/models/:name/clusters").handler(new ClustersHandler(lookup)::clusters);
        route(router, HttpMethod.GET, "/health/live").handler(health::live);
        route(router, HttpMethod.GET, "/health/ready").handler(health::ready);

        InferHandler infer = new InferHandler(lookup, metrics, feedback, maxBatchInstances);
        for (String model : new String[] {"/v2/models/:name", "/v2/models/:name/versions/:version"}) {
            route(router, HttpMethod.POST, model + "/infer").consumes("application/json")
                    .consumes(InferHandler.BINARY_CONTENT_TYPE).handler(body).handler(infer);
            route(router, HttpMethod.GET, model).handler(v2::modelMetadata);
            route(router, HttpMethod.GET, model + "/ready").handler(v2::modelReady);
        }
        route(router, HttpMethod.GET, "/v2").handler(v2::serverMetadata);
        route(router, HttpMethod.GET, "/v2/health/live").handler(v2::live);
        route(router, HttpMethod.GET, "/v2/health/ready").handler(v2::ready);

        // A scrape formats every meter (histograms of many routes and versions): milliseconds, so on a worker thread.
        route(router, HttpMethod.GET, "/metrics").blockingHandler(PrometheusScrapingHandler.create(meterRegistry), false);
        OpenApiDocument document = OpenApiDocument.load(OPENAPI_RESOURCE)
                .with(extensions.stream().flatMap(extension -> extension.openApi().stream()).toList());
        route(router, HttpMethod.GET, OpenApiDocument.PATH).handler(document.handler());

        for (RouteExtension extension : extensions) {
            extension.mount(vertx, router);
        }

        ErrorHandler errors = new ErrorHandler(metrics);
        router.route().failureHandler(errors);
        // Requests that match no route never reach a failure handler; the router hands them here by status.
        for (int status : new int[] {400, 404, 405, 413, 415, 500, ErrorHandler.TIMEOUT_STATUS}) {
            router.errorHandler(status, errors);
        }
        return router;
    }

    /**
     * A path with a broken percent-escape ({@code %zz}, a lone {@code %}) makes Vert.x's route matching throw; it would
     * then answer a bodiless 400 and log the client's typo as an unhandled ERROR with a stack trace (found by
     * {@code HttpFuzzTest}). Decoding it here first turns it into an ordinary JSON 400.
     */
    private static void refuseUndecodablePath(RoutingContext context) {
        try {
            context.normalizedPath();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("bad_path", "the request path holds an invalid percent-escape");
        }
        context.next();
    }

    /** A route whose requests are metered under its template. */
    private static Route route(Router router, HttpMethod method, String template) {
        return router.route(method, template).handler(RequestObserver.route(template));
    }
}
