package io.streamlearn.serve.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.serve.Feedback;
import io.streamlearn.serve.ModelPins;
import io.streamlearn.serve.ModelRegistry;
import io.streamlearn.serve.Readiness;
import io.streamlearn.serve.ServingConfig;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** Every route of the prediction server, in one place. */
public final class HttpApi {

    private HttpApi() {
    }

    /**
     * Bodies over {@link ServingConfig#maxBodyBytes()} are answered 413 {@code body_too_large}, batches over
     * {@link ServingConfig#maxBatchInstances()} 413 {@code too_many_instances}.
     */
    public static Router router(Vertx vertx, ServingConfig config, ModelRegistry models, ModelPins pins,
            Feedback feedback, Readiness readiness, RequestMetrics metrics, PrometheusMeterRegistry meterRegistry) {
        int maxBatchInstances = config.maxBatchInstances();
        Router router = Router.router(vertx);
        ModelLookup lookup = new ModelLookup(models);
        ModelCatalogHandler catalog = new ModelCatalogHandler(models);
        HealthHandler health = new HealthHandler(readiness);
        InferenceProtocolHandler v2 = new InferenceProtocolHandler(models, lookup, readiness);
        // No file uploads: the handler would otherwise create an upload directory in the working directory.
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());

        router.post("/v1/models/:name/predict")
                .consumes("application/json")
                .handler(body)
                .handler(new PredictHandler(lookup, metrics, feedback, maxBatchInstances));
        router.post("/v1/models/:name/labels")
                .consumes("application/json")
                .handler(body)
                .handler(new LabelsHandler(lookup, feedback, maxBatchInstances));
        AdminHandler admin = new AdminHandler(models, pins, config.adminToken());
        router.post("/v1/models/:name/versions/:version/promote").handler(admin::authorize).handler(admin::promote);
        router.post("/v1/models/:name/rollback").handler(admin::authorize).handler(admin::rollback);
        router.delete("/v1/models/:name/pin").handler(admin::authorize).handler(admin::unpin);
        router.get("/v1/models").handler(catalog::list);
        router.get("/v1/models/:name").handler(catalog::describe);
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);

        InferHandler infer = new InferHandler(lookup, metrics, feedback, maxBatchInstances);
        for (String model : new String[] {"/v2/models/:name", "/v2/models/:name/versions/:version"}) {
            router.post(model + "/infer").consumes("application/json").handler(body).handler(infer);
            router.get(model).handler(v2::modelMetadata);
            router.get(model + "/ready").handler(v2::modelReady);
        }
        router.get("/v2").handler(v2::serverMetadata);
        router.get("/v2/health/live").handler(v2::live);
        router.get("/v2/health/ready").handler(v2::ready);

        router.get("/metrics").handler(PrometheusScrapingHandler.create(meterRegistry));

        ErrorHandler errors = new ErrorHandler(metrics);
        router.route().failureHandler(errors);
        // Requests that match no route never reach a failure handler; the router hands them here by status.
        for (int status : new int[] {404, 405, 413, 415, 500}) {
            router.errorHandler(status, errors);
        }
        return router;
    }
}
