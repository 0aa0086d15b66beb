package io.streamlearn.serve;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.serve.http.HttpApi;
import io.streamlearn.serve.kafka.ModelFollower;
import io.streamlearn.serve.metrics.ModelMetrics;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running prediction server: a Vert.x HTTP server over a {@link ModelRegistry}, fed either by a
 * {@link ModelFollower} on the {@code models} topic or directly by its caller. Start and close block, so call them
 * from a plain thread, never from a Vert.x event loop.
 *
 * <pre>{@code
 * try (Telemetry telemetry = Telemetry.create();
 *      PredictionServer server = PredictionServer.start(config, telemetry.registry())) {
 *     System.out.println("serving on port " + server.port());
 *     ...
 * }
 * }</pre>
 */
public final class PredictionServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionServer.class);
    private static final long START_STOP_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final HttpServer httpServer;
    private final ModelRegistry models;
    private final SnapshotLoader snapshots;
    private final ModelFollower follower;

    private PredictionServer(Vertx vertx, HttpServer httpServer, ModelRegistry models, SnapshotLoader snapshots,
            ModelFollower follower) {
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.models = models;
        this.snapshots = snapshots;
        this.follower = follower;
    }

    /**
     * Serves the newest snapshot of every model on {@link ServingConfig#modelsTopic()}; ready once the follower runs
     * and a model is loaded.
     *
     * @param meterRegistry the process's registry: the server's meters and Vert.x's HTTP meters are added to it and
     *                      {@code GET /metrics} scrapes all of it
     * @throws IllegalArgumentException when the configuration is invalid
     * @throws IllegalStateException    when the HTTP port cannot be bound
     */
    public static PredictionServer start(ServingConfig config, PrometheusMeterRegistry meterRegistry) {
        config.validate();
        ModelRegistry models = new ModelRegistry();
        SnapshotLoader snapshots = new SnapshotLoader(models);
        ModelFollower follower = new ModelFollower(config, snapshots);
        try {
            Readiness readiness = follower.readiness().and(Readiness.modelsServed(models));
            PredictionServer server = listen(config, models, snapshots, follower, readiness, meterRegistry);
            follower.start();
            return server;
        } catch (RuntimeException e) {
            follower.close();
            throw e;
        }
    }

    /**
     * Serves the models its caller puts in {@code models} (or loads through {@link #snapshots()}), without Kafka;
     * ready once a model is served.
     */
    public static PredictionServer start(ServingConfig config, ModelRegistry models,
            PrometheusMeterRegistry meterRegistry) {
        config.validate();
        SnapshotLoader snapshots = new SnapshotLoader(models);
        return listen(config, models, snapshots, null, Readiness.modelsServed(models), meterRegistry);
    }

    /** The port the HTTP server listens on, the chosen one when the configuration asked for port 0. */
    public int port() {
        return httpServer.actualPort();
    }

    public ModelRegistry models() {
        return models;
    }

    /** Loads encoded snapshots into {@link #models()} on the caller's thread, counting them as the follower does. */
    public SnapshotLoader snapshots() {
        return snapshots;
    }

    /** Stops following the topic, then stops the HTTP server and Vert.x. */
    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        await(vertx.close(), "Vert.x did not stop");
        LOG.info("Prediction server stopped");
    }

    private static PredictionServer listen(ServingConfig config, ModelRegistry models, SnapshotLoader snapshots,
            ModelFollower follower, Readiness readiness, PrometheusMeterRegistry meterRegistry) {
        RequestMetrics requestMetrics = new RequestMetrics(models);
        requestMetrics.bindTo(meterRegistry);
        new ModelMetrics(models, snapshots).bindTo(meterRegistry);
        Vertx vertx = vertxReportingTo(meterRegistry);
        try {
            Router router = HttpApi.router(vertx, models, readiness, requestMetrics, meterRegistry,
                    config.maxBodyBytes(), config.maxBatchInstances());
            HttpServer httpServer = await(vertx.createHttpServer(new HttpServerOptions())
                    .requestHandler(router)
                    .listen(config.httpPort(), config.httpHost()),
                    "the HTTP server could not listen on " + config.httpHost() + ":" + config.httpPort());
            LOG.info("Prediction server listening on {}:{}", config.httpHost(), httpServer.actualPort());
            return new PredictionServer(vertx, httpServer, models, snapshots, follower);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /**
     * Vert.x's HTTP server meters go to the given registry. Vert.x keeps backends in a JVM-wide map by registry name,
     * so each server gets its own name; otherwise a second server in the process (tests, a demo) would report to the
     * first one's registry. Vert.x removes the entry when it closes.
     */
    private static Vertx vertxReportingTo(PrometheusMeterRegistry meterRegistry) {
        MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setRegistryName("streamlearn-serving-" + UUID.randomUUID());
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(metricsOptions))
                .withMetrics(new MicrometerMetricsFactory(meterRegistry))
                .build();
    }

    private static <T> T await(Future<T> future, String failureMessage) {
        try {
            return future.await(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(failureMessage + " within " + START_STOP_TIMEOUT_SECONDS + " s", e);
        } catch (Exception e) {
            // Vert.x rethrows the future's failure as it is, checked ones (a BindException) included.
            throw new IllegalStateException(failureMessage + ": " + e.getMessage(), e);
        }
    }
}
