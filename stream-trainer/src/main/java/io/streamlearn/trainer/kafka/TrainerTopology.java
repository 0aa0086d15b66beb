package io.streamlearn.trainer.kafka;

import io.streamlearn.runtime.kafka.ChunkedRecords;
import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The online trainer: {@code events} and {@code labels} → prequential training → {@code predictions},
 * {@code events.dlq}, {@code models} and, for anomaly detectors, {@code anomalies}. The model state lives in
 * changelogged stores written in the same transaction as the outputs and the input offsets, which is what makes
 * training exactly-once.
 */
public final class TrainerTopology {

    static final String CHECKPOINT_STORE = "model-checkpoints";
    static final String JOURNAL_STORE = "model-journal";
    static final String PENDING_STORE = "unlabelled-events";
    static final String EARLY_LABELS_STORE = "early-labels";
    static final String AWAITED_VOTES_STORE = "awaited-votes";
    static final String COLLECTED_VOTES_STORE = "collected-votes";
    static final String SHARD_CHECKPOINT_STORE = "shard-checkpoints";
    static final String SHARD_JOURNAL_STORE = "shard-journal";
    /** The trainer's commit interval under exactly-once, unless {@code kafka.commit.interval.ms} says otherwise. */
    public static final long EXACTLY_ONCE_COMMIT_INTERVAL_MS = 1_000;

    private TrainerTopology() {
    }

    public static Topology build(TrainerConfig config, List<ModelDefinition> models, TrainerMetrics metrics) {
        return build(config, ModelCatalog.of(models), metrics);
    }

    /** @param catalog the models to train, which may change while the trainer runs (the definitions topic) */
    public static Topology build(TrainerConfig config, ModelCatalog catalog, TrainerMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, config, catalog, metrics);
        return builder.build();
    }

    public static void build(StreamsBuilder builder, TrainerConfig config, List<ModelDefinition> models,
            TrainerMetrics metrics) {
        build(builder, config, ModelCatalog.of(models), metrics);
    }

    public static void build(StreamsBuilder builder, TrainerConfig config, ModelCatalog catalog,
            TrainerMetrics metrics) {
        build(builder, config, catalog, metrics, ShardProcessor.DEFINITION_WAIT);
    }

    /**
     * @param shardDefinitionWait how long a shard step waits for this instance's definitions to reach the generation
     *                            it was sent under before the trainer fails (30 s; shorter in tests)
     */
    static Topology build(TrainerConfig config, ModelCatalog catalog, TrainerMetrics metrics,
            Duration shardDefinitionWait) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, config, catalog, metrics, shardDefinitionWait);
        return builder.build();
    }

    private static void build(StreamsBuilder builder, TrainerConfig config, ModelCatalog catalog,
            TrainerMetrics metrics, Duration shardDefinitionWait) {
        // Checkpoints are chunked (ModelStateStores), so the changelog keeps Kafka's default record limits.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CHECKPOINT_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()));
        // Cached: a journal block rewritten by every step reaches the changelog once per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(JOURNAL_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled().withLoggingEnabled(Map.of()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EARLY_LABELS_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()));
        // Also with sharding off: the training task's stores do not depend on shard.enabled.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(AWAITED_VOTES_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()));

        Consumed<String, byte[]> raw = Consumed.with(Serdes.String(), Serdes.ByteArray());
        KStream<String, byte[]> events = builder.stream(config.eventsTopic(), raw.withName("events"));
        KStream<String, byte[]> labels = builder.stream(config.labelsTopic(), raw.withName("labels"));
        KStream<String, byte[]> inputs = events.merge(labels, Named.as("events-and-labels"));
        if (config.shardingEnabled()) {
            // Each event's summed votes come back from the vote stage keyed by model, on as many partitions as
            // events: to the task of the model's events.
            KStream<String, byte[]> sums = builder.stream(config.shardSumsTopic(), raw.withName("shard-sums"));
            inputs = inputs.merge(sums, Named.as("events-labels-and-sums"));
        }
        KStream<String, TrainerOutput> outputs = inputs.process(() -> new TrainingProcessor(config, catalog, metrics),
                Named.as("prequential-training"), CHECKPOINT_STORE, JOURNAL_STORE, PENDING_STORE, EARLY_LABELS_STORE,
                AWAITED_VOTES_STORE);
        if (config.shardingEnabled()) {
            shardStages(builder, config, catalog, metrics, shardDefinitionWait, raw);
        }
        var branches = outputs.split(Named.as("output-"))
                .branch((key, value) -> value instanceof TrainerOutput.PredictionMade,
                        Branched.withConsumer(to(config.predictionsTopic(), produced()), "predictions"))
                .branch((key, value) -> value instanceof TrainerOutput.AnomalyAlert,
                        Branched.withConsumer(to(config.anomaliesTopic(), produced()), "anomalies"))
                .branch((key, value) -> value instanceof TrainerOutput.DeadLetter,
                        Branched.withConsumer(to(config.deadLetterTopic(), produced()), "dead-letters"));
        if (config.shardingEnabled()) {
            branches = branches.branch((key, value) -> value instanceof TrainerOutput.ShardStepSent,
                    Branched.withConsumer(to(config.shardStepsTopic(),
                            produced().withStreamPartitioner(ShardPartitioner.spreadingShards())), "shard-steps"));
        }
        branches.defaultBranch(Branched.withConsumer(to(config.modelsTopic(),
                produced().withStreamPartitioner(ChunkedRecords.byBlobKey())), "snapshots"));
    }

    /** The shards' tasks and the vote stage (docs/sharding.md), with their stores. */
    private static void shardStages(StreamsBuilder builder, TrainerConfig config, ModelCatalog catalog,
            TrainerMetrics metrics, Duration shardDefinitionWait, Consumed<String, byte[]> raw) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COLLECTED_VOTES_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SHARD_CHECKPOINT_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SHARD_JOURNAL_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled().withLoggingEnabled(Map.of()));
        builder.stream(config.shardStepsTopic(), raw.withName("shard-steps"))
                .process(() -> new ShardProcessor(config, catalog, metrics, shardDefinitionWait),
                        Named.as("shard-training"), SHARD_CHECKPOINT_STORE, SHARD_JOURNAL_STORE)
                .split(Named.as("shard-output-"))
                .branch((key, value) -> value instanceof TrainerOutput.Vote,
                        Branched.withConsumer(to(config.shardVotesTopic(), produced()), "votes"))
                .defaultBranch(Branched.withConsumer(to(config.modelsTopic(),
                        produced().withStreamPartitioner(ChunkedRecords.byBlobKey())), "snapshots"));
        // The vote stage: shards' votes keyed and partitioned by event, so that reading them is spread over tasks
        // rather than all on the model's.
        builder.stream(config.shardVotesTopic(), raw.withName("shard-votes"))
                .process(() -> new VoteProcessor(config, catalog, metrics), Named.as("vote-stage"),
                        COLLECTED_VOTES_STORE)
                .to(config.shardSumsTopic(), produced().withName("shard-sums-out"));
    }

    /** A sink of the outputs' values. */
    private static Consumer<KStream<String, TrainerOutput>> to(String topic,
            Produced<String, byte[]> produced) {
        return outputs -> outputs.mapValues(TrainerOutput::value).to(topic, produced);
    }

    /** A fresh one per sink: {@code Produced}'s {@code with...} methods change the instance they are called on. */
    private static Produced<String, byte[]> produced() {
        return Produced.with(Serdes.String(), Serdes.ByteArray());
    }

    /** Kafka Streams settings: exactly-once by default, then anything given under {@code kafka.}. */
    public static Properties streamsProperties(TrainerConfig config) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        // Events and labels are merged in timestamp order, so a late label is learned between the events it arrived
        // between (MOA's EvaluatePrequentialDelayed semantics, docs/learning.md). 0 is Kafka's documented middle way:
        // the task never waits for producers, so a quiet labels topic does not hold events back; -1 processes
        // whatever is fetched first. The order is best effort either way: a partition counts as caught up when the
        // consumer has handed over its last fetch, so a backlog fetched for both topics at once is taken one topic
        // first. A label read before its event is held (EarlyLabels); set kafka.max.task.idle.ms higher to trade
        // latency for order (docs/learning.md, "Labels that arrive before their events").
        properties.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        // Under exactly-once every commit is a transaction commit (flush, offsets to the transaction, end markers on
        // every output and changelog partition): at Kafka's 100 ms it took 18-55 % of the stream thread
        // (docs/benchmarks.md, issue #13). The interval only bounds a transaction while a backlog is processed: a
        // snapshot asks for its own commit, and so does the processor as soon as its input goes quiet
        // (QuietCommit), so served models and caught-up outputs are as fresh as before.
        if (StreamsConfig.EXACTLY_ONCE_V2.equals(config.processingGuarantee())) {
            properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, EXACTLY_ONCE_COMMIT_INTERVAL_MS);
        }
        properties.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        properties.putAll(config.kafkaProperties());
        return properties;
    }
}
