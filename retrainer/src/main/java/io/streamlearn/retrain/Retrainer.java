package io.streamlearn.retrain;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamlearn.retrain.http.RetrainRoutes;
import io.streamlearn.retrain.kafka.ModelsView;
import io.streamlearn.retrain.kafka.RequestConsumer;
import io.streamlearn.retrain.kafka.RequestProducer;
import io.streamlearn.retrain.kafka.RetrainOutput;
import io.streamlearn.retrain.kafka.RunStore;
import io.streamlearn.retrain.kafka.WindowReader;
import io.streamlearn.retrain.metrics.RetrainMetrics;
import io.streamlearn.retrain.run.ChallengerTrainer;
import io.streamlearn.retrain.run.RetrainRequest;
import io.streamlearn.retrain.run.RunExecutor;
import io.streamlearn.retrain.run.RunIds;
import io.streamlearn.retrain.run.RunQueue;
import io.streamlearn.retrain.run.TrainingRun;
import io.streamlearn.core.model.DefinedModel;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.runtime.definitions.DefinitionFollower;
import io.streamlearn.runtime.health.Liveness;
import io.streamlearn.runtime.health.PartFailure;
import io.streamlearn.runtime.http.RouteExtension;
import io.streamlearn.runtime.kafka.TopicSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running retraining service: reads {@code retrain-requests} in its consumer group, runs one retrain per model at a
 * time (coalescing the requests that arrive meanwhile), records runs on {@code training-runs} and publishes winners to
 * {@code models} and {@code model-pins}. Any number of instances share the models by partition of the requests topic.
 * {@link #routes()} are its HTTP routes, for its own server or another one's port.
 */
public final class Retrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);

    private final ModelsView models;
    private final RunStore runs;
    private final RetrainOutput output;
    private final RequestProducer requests;
    private final RequestConsumer consumer;
    private final ExecutorService runThreads;
    private final ScheduledExecutorService schedule;
    private final RetrainRoutes routes;
    private final WindowReader windows;
    private final DefinitionFollower definitions;
    /** The request loop and the run threads: what stops either stops this instance's retraining. */
    private final PartFailure failure = new PartFailure("retrainer", "unanswered requests stay uncommitted, and the "
            + "instance that next owns their partition answers them again");

    private Retrainer(RetrainConfig config, ChallengerTrainer trainer, MeterRegistry registry, LongSupplier clock) {
        RetrainMetrics metrics = new RetrainMetrics(clock);
        metrics.bindTo(registry);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            this.models = opened(opened, new ModelsView(config));
            models.bindTo(registry);
            if (trainer instanceof MeterBinder meters) {
                meters.bindTo(registry);
            }
            this.runs = opened(opened, new RunStore(config));
            this.output = opened(opened, new RetrainOutput(config));
            this.requests = opened(opened, new RequestProducer(config));
            this.windows = new WindowReader(config);
            this.runThreads = Executors.newFixedThreadPool(config.concurrentRuns(), runnable -> {
                Thread thread = new Thread(runnable, "streamlearn-retrain-run");
                thread.setDaemon(true);
                // A run records its exceptions as a failed run; what still escapes is an Error (out of memory).
                thread.setUncaughtExceptionHandler((dead, error) -> failure.record(
                        "a retraining run's thread died, so its model's requests wait unanswered", error));
                return thread;
            });
            RunExecutor executor = new RunExecutor(windows, models, trainer, output, output, config.promote(),
                    config.driftReferenceRows(), clock,
                    metrics);
            RunIds ids = new RunIds();
            RunQueue queue = new RunQueue(runThreads,
                    (model, trigger) -> executor.execute(ids.next(model, clock.getAsLong()), model, trigger), metrics);
            this.definitions = opened(opened, new DefinitionFollower(config.followerSettings(),
                    config.definitionsTopic(), "streamlearn-retrainer-definitions", new ModelCatalog()));
            ModelCatalog catalog = definitions.catalog();
            this.consumer = opened(opened, new RequestConsumer(config, queue, failure,
                    model -> catalog.record(model).map(DefinedModel::deleted).orElse(false)));
            this.schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "streamlearn-retrain-schedule");
                thread.setDaemon(true);
                return thread;
            });
            this.routes = new RetrainRoutes(runs, requests, config.adminToken(), clock);
        } catch (RuntimeException e) {
            opened.forEach(Retrainer::closeQuietly);
            throw e;
        }
    }

    /**
     * Creates the compacted {@code training-runs} topic and the {@code retrain-requests} topic when missing, then starts
     * following and consuming.
     *
     * @param trainer trains and judges challengers (the batch learner)
     */
    public static Retrainer start(RetrainConfig config, ChallengerTrainer trainer, MeterRegistry registry,
            int partitions, short replication) {
        config.validate();
        config.snapshotSigning().warnIfDisabled("retrainer");
        TopicSetup.createMissing(config.bootstrapServers(), config.kafkaProperties(), List.of(
                new NewTopic(config.requestsTopic(), partitions, replication),
                new NewTopic(config.runsTopic(), partitions, replication).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
        // Serving's compacted, single-partition pins topic, as its PinTopic creates it.
        TopicSetup.createShared(config.bootstrapServers(), config.kafkaProperties(), new NewTopic(config.pinsTopic(), 1,
                replication).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        TopicSetup.createShared(config.bootstrapServers(), config.kafkaProperties(),
                TopicSetup.driftReferences(config.driftReferencesTopic(), partitions, replication));
        Retrainer retrainer = new Retrainer(config, trainer, registry, System::currentTimeMillis);
        retrainer.runs.start();
        retrainer.definitions.start();
        retrainer.consumer.start();
        long interval = config.scheduleInterval().toMillis();
        if (interval > 0) {
            retrainer.schedule.scheduleAtFixedRate(retrainer::scheduled, interval, interval, TimeUnit.MILLISECONDS);
        }
        LOG.info("retrainer started on {}: requests from {} (group {}), runs to {}, window {} ({}..{} rows){}",
                config.bootstrapServers(), config.requestsTopic(), config.groupId(), config.runsTopic(),
                config.windowPolicy().code(), config.windowMinRows(), config.windowMaxRows(),
                interval > 0 ? ", scheduled every " + config.scheduleInterval() : "");
        return retrainer;
    }

    /** A {@code schedule} request for each model whose requests this instance owns, so one instance asks per model. */
    private void scheduled() {
        try {
            for (String model : models.models()) {
                if (consumer.owns(model)) {
                    requests.send(RetrainRequest.of(model, RetrainRequest.SCHEDULE, System.currentTimeMillis()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Scheduled retrain requests could not be written", e);
        }
    }

    /** Writes a request onto {@code retrain-requests}, as the admin route does; completes once it is stored. */
    public CompletionStage<?> request(RetrainRequest request) {
        return requests.send(request);
    }

    /**
     * The final record of the run that answered a request written at {@code requestedAt} for {@code model}, once this
     * instance has seen it on {@code training-runs}.
     */
    public Optional<TrainingRun> answered(String model, long requestedAt) {
        return runs.list(model, Integer.MAX_VALUE).stream()
                .filter(run -> run.status().isFinal()
                        && run.trigger().stream().anyMatch(r -> r.requestedAt() == requestedAt))
                .findFirst();
    }

    public RouteExtension routes() {
        return routes;
    }

    public RunStore runs() {
        return runs;
    }

    public WindowReader windows() {
        return windows;
    }

    /** Reading requests and following the runs topic. */
    public boolean isRunning() {
        return consumer.isRunning() && runs.isRunning();
    }

    /**
     * Not live once the request loop or a run's thread died (part {@code retrainer}), or the follower of the runs
     * topic did (part {@code retrainer-runs}).
     */
    public Liveness liveness() {
        return Liveness.of(failure).and(runs.liveness()).and(definitions.liveness());
    }

    /**
     * Stops reading requests, lets a run in progress finish (up to a minute; an unfinished one is answered again by
     * the next owner, its request being uncommitted), then closes the clients.
     */
    @Override
    public void close() {
        schedule.shutdownNow();
        consumer.close();
        runThreads.shutdown();
        try {
            if (!runThreads.awaitTermination(60, TimeUnit.SECONDS)) {
                runThreads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(definitions);
        closeQuietly(models);
        closeQuietly(requests);
        closeQuietly(output);
        closeQuietly(runs);
    }

    private static <T extends AutoCloseable> T opened(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed", resource, e);
        }
    }
}
