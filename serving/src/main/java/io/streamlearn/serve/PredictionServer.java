package io.streamlearn.serve;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.runtime.definitions.DefinitionFollower;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.Readiness;
import io.streamlearn.runtime.http.ConnectionLimit;
import io.streamlearn.runtime.http.RouteExtension;
import io.streamlearn.runtime.kafka.TopicFollower;
import io.streamlearn.runtime.metrics.HttpMethodTag;
import io.streamlearn.serve.http.EventLoopServers;
import io.streamlearn.serve.http.HttpApi;
import io.streamlearn.serve.kafka.FeedbackProducer;
import io.streamlearn.serve.kafka.PinTopic;
import io.streamlearn.serve.metrics.ModelMetrics;
import io.streamlearn.serve.metrics.RequestMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running prediction server: a Vert.x HTTP server over a {@link ModelRegistry}, fed either by followers of the
 * {@code models} and {@code model-pins} topics or directly by its caller. Start and close block, so call them
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
    private final Router router;
    private final ModelRegistry models;
    private final SnapshotLoader snapshots;
    private final Liveness liveness;
    /** What feeds the registry from Kafka, closed before the HTTP server; empty without Kafka. */
    private final List<AutoCloseable> feeds;

    private PredictionServer(Vertx vertx, HttpServer httpServer, Router router, ModelRegistry models,
            SnapshotLoader snapshots, Liveness liveness, List<AutoCloseable> feeds) {
        this.vertx = vertx;
        this.httpServer = httpServer;
        this.router = router;
        this.models = models;
        this.snapshots = snapshots;
        this.liveness = liveness;
        this.feeds = feeds;
    }

    /**
     * Serves the newest snapshot of every model on {@link ServingConfig#modelsTopic()}, or the version pinned on
     * {@link ServingConfig#pinsTopic()}, keeping {@link ServingConfig#keepVersions()} versions of each; ready once
     * both followers run and a model is loaded.
     *
     * @param meterRegistry the process's registry: the server's meters and Vert.x's HTTP meters are added to it and
     *                      {@code GET /metrics} scrapes all of it
     * @throws IllegalArgumentException when the configuration is invalid
     * @throws IllegalStateException    when the HTTP port cannot be bound
     */
    public static PredictionServer start(ServingConfig config, PrometheusMeterRegistry meterRegistry) {
        return start(config, meterRegistry, List.of(), Liveness.none());
    }

    /**
     * As {@link #start(ServingConfig, PrometheusMeterRegistry)}, also answering the routes of {@code extensions}, and
     * live (on {@code GET /health/live}) only while the parts of {@code process} run too: the other long-running parts
     * of the process that this server answers for, e.g. the trainer's Kafka Streams client.
     */
    public static PredictionServer start(ServingConfig config, PrometheusMeterRegistry meterRegistry,
            List<RouteExtension> extensions, Liveness process) {
        return start(config, meterRegistry, extensions, process, null);
    }

    /**
     * As {@link #start(ServingConfig, PrometheusMeterRegistry, List, Liveness)}, ready (on {@code GET /health/ready})
     * when {@code processReady} says so instead of once a model is served: a trainer's process is ready when its
     * trainer runs, models or none (a deployment with no model defined yet must still roll out).
     *
     * @param processReady {@code null} for a serve replica: ready once it serves a model
     */
    public static PredictionServer start(ServingConfig config, PrometheusMeterRegistry meterRegistry,
            List<RouteExtension> extensions, Liveness process, Readiness processReady) {
        config.validate();
        config.snapshotSigning().warnIfDisabled("prediction server");
        ModelRegistry models = new ModelRegistry(config.keepVersions());
        SnapshotLoader snapshots = new SnapshotLoader(models, config.snapshotSigning(), config.chunking());
        TopicFollower follower = followModels(config, snapshots);
        DefinitionFollower definitions = followDefinitions(config, models);
        PinTopic pins = new PinTopic(config, models);
        FeedbackProducer feedback = new FeedbackProducer(config);
        feedback.bindTo(meterRegistry);
        List<AutoCloseable> feeds = List.of(pins, follower, definitions, feedback);
        try {
            Readiness readiness = follower.readiness().and(pins.readiness())
                    .and(processReady == null ? modelsServed(models) : processReady);
            Liveness liveness = follower.liveness().and(pins.liveness()).and(definitions.liveness()).and(process);
            liveness.bindTo(meterRegistry);
            PredictionServer server = listen(config, models, snapshots, pins, feedback, feeds, readiness, liveness,
                    meterRegistry, extensions);
            pins.start();
            definitions.start();
            follower.start();
            return server;
        } catch (RuntimeException e) {
            closeAll(feeds);
            throw e;
        }
    }

    /**
     * Serves the models its caller puts in {@code models} (or loads through {@link #snapshots()}), without Kafka;
     * ready once a model is served. Pins made through the admin routes stay in this process; the registry's own
     * {@link ModelRegistry#keepVersions()} applies.
     */
    public static PredictionServer start(ServingConfig config, ModelRegistry models,
            PrometheusMeterRegistry meterRegistry) {
        return start(config, models, meterRegistry, List.of());
    }

    /** As {@link #start(ServingConfig, ModelRegistry, PrometheusMeterRegistry)}, with {@code extensions}' routes. */
    public static PredictionServer start(ServingConfig config, ModelRegistry models,
            PrometheusMeterRegistry meterRegistry, List<RouteExtension> extensions) {
        config.validate();
        SnapshotLoader snapshots = new SnapshotLoader(models, config.snapshotSigning(), config.chunking());
        return listen(config, models, snapshots, ModelPins.local(models), Feedback.none(), List.of(),
                modelsServed(models), Liveness.none(), meterRegistry, extensions);
    }

    /**
     * Follows {@link ServingConfig#definitionsTopic()}: a model deleted there is retired from {@code models} (no
     * longer served, its snapshots no longer taken) until it is defined again.
     */
    private static DefinitionFollower followDefinitions(ServingConfig config, ModelRegistry models) {
        ModelCatalog catalog = new ModelCatalog();
        catalog.addListener(record -> {
            if (record.deleted()) {
                models.retire(record.name());
            } else {
                models.reinstate(record.name());
            }
        });
        return new DefinitionFollower(config.followerSettings(), config.definitionsTopic(),
                "streamlearn-server-definitions", catalog);
    }

    /** Follows {@link ServingConfig#modelsTopic()} into {@code loader}. */
    private static TopicFollower followModels(ServingConfig config, SnapshotLoader loader) {
        return new TopicFollower(config.followerSettings(), config.modelsTopic(), "streamlearn-model-follower",
                record -> loader.accept(record.key(), record.value(), record.topic() + "-" + record.partition() + "@"
                        + record.offset()));
    }

    /** Ready once at least one model is served. */
    private static Readiness modelsServed(ModelRegistry models) {
        return () -> models.isEmpty() ? Optional.of("no model is loaded yet") : Optional.empty();
    }

    /** The port the HTTP server listens on, the chosen one when the configuration asked for port 0. */
    public int port() {
        return httpServer.actualPort();
    }

    /**
     * The routes it answers, as registered on the router of its first event loop (every event loop's router is built
     * by the same code); contract tests compare them with the OpenAPI document.
     */
    public List<Route> routes() {
        return router.getRoutes();
    }

    public ModelRegistry models() {
        return models;
    }

    /** The long-running parts this server answers for on {@code GET /health/live}: its followers and the caller's. */
    public Liveness liveness() {
        return liveness;
    }

    /** Loads encoded snapshots into {@link #models()} on the caller's thread, counting them as the follower does. */
    public SnapshotLoader snapshots() {
        return snapshots;
    }

    /** Stops following the topics, then stops the HTTP server and Vert.x. */
    @Override
    public void close() {
        closeAll(feeds);
        await(vertx.close(), "Vert.x did not stop");
        LOG.info("Prediction server stopped");
    }

    private static PredictionServer listen(ServingConfig config, ModelRegistry models, SnapshotLoader snapshots,
            ModelPins pins, Feedback feedback, List<AutoCloseable> feeds, Readiness readiness, Liveness liveness,
            PrometheusMeterRegistry meterRegistry, List<RouteExtension> extensions) {
        RequestMetrics requestMetrics = new RequestMetrics(models);
        requestMetrics.bindTo(meterRegistry);
        new ModelMetrics(models, snapshots).bindTo(meterRegistry);
        Vertx vertx = vertxReportingTo(meterRegistry, config);
        try {
            AtomicReference<Router> first = new AtomicReference<>();
            Supplier<Router> routers = () -> {
                Router router = HttpApi.router(vertx, config, models, pins, feedback, readiness, liveness,
                        requestMetrics, meterRegistry, extensions);
                first.compareAndSet(null, router);
                return router;
            };
            ConnectionLimit connections = new ConnectionLimit(config.httpServer().maxConnections());
            connections.bindTo(meterRegistry);
            HttpServer httpServer = await(EventLoopServers.listen(vertx, config.httpHost(), config.httpPort(),
                    config.httpEventLoops(), routers, config.httpServer().options(), connections),
                    "the HTTP server could not listen on " + config.httpHost() + ":" + config.httpPort());
            LOG.info("Prediction server listening on {}:{} ({}) with {} event loop(s)", config.httpHost(),
                    httpServer.actualPort(), config.httpServer().tls() ? "HTTPS" : "plain HTTP",
                    config.httpEventLoops());
            return new PredictionServer(vertx, httpServer, first.get(), models, snapshots, liveness, feeds);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /**
     * Vert.x's HTTP server meters go to the given registry, their {@code method} tag bounded ({@link HttpMethodTag}),
     * and its blocked-thread checker watches the event loops as configured. Vert.x keeps backends in a JVM-wide map by
     * registry name, so each server gets its own name; otherwise a second server in the process (tests, a demo) would
     * report to the first one's registry. Vert.x removes the entry when it closes.
     */
    private static Vertx vertxReportingTo(PrometheusMeterRegistry meterRegistry, ServingConfig config) {
        Set<Label> labels = EnumSet.copyOf(MicrometerMetricsOptions.DEFAULT_LABELS);
        labels.remove(Label.HTTP_METHOD);
        MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setRegistryName("streamlearn-serving-" + UUID.randomUUID())
                .setLabels(labels)
                .setServerRequestTagsProvider(HttpMethodTag.provider());
        VertxOptions options = new VertxOptions()
                .setMetricsOptions(metricsOptions)
                .setBlockedThreadCheckInterval(config.blockedThreadCheckIntervalMs())
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                .setMaxEventLoopExecuteTime(config.maxEventLoopExecuteTimeMs())
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS);
        return Vertx.builder()
                .with(options)
                .withMetrics(new MicrometerMetricsFactory(meterRegistry))
                .build();
    }

    private static void closeAll(List<AutoCloseable> feeds) {
        for (AutoCloseable feed : feeds) {
            try {
                feed.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", feed, e);
            }
        }
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
