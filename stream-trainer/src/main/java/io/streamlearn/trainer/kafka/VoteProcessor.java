package io.streamlearn.trainer.kafka;

import io.streamlearn.core.model.ModelCatalog;
import io.streamlearn.trainer.TrainerConfig;
import io.streamlearn.trainer.metrics.TrainerMetrics;
import io.streamlearn.trainer.model.CollectedVotes;
import io.streamlearn.trainer.model.ShardSum;
import io.streamlearn.trainer.model.ShardVote;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vote stage of sharded ensembles (docs/sharding.md): the shards' votes come keyed by event ({@link PendingKey}:
 * model, generation, id) and spread over the votes topic's partitions by that key, so the work of reading them is
 * spread over as many tasks. Each event's votes are held (in a changelogged store) until all its shards' are in, then
 * added in shard order and sent as one sum, keyed by model, to the model's task.
 *
 * <p>A vote of a generation deleted or started afresh since is skipped and counted, and forgets its event's wait: the
 * shards skip that generation's steps, so its other votes may never come. Waits of such generations that no vote
 * ends are dropped at each snapshot interval, so a deleted or reset model leaves nothing here either.
 */
final class VoteProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(VoteProcessor.class);

    private final TrainerConfig config;
    private final ModelCatalog catalog;
    private final TrainerMetrics metrics;
    private ProcessorContext<String, byte[]> context;
    /** Events waiting for their shards' votes, by event key. */
    private KeyValueStore<String, byte[]> collected;

    VoteProcessor(TrainerConfig config, ModelCatalog catalog, TrainerMetrics metrics) {
        this.config = config;
        this.catalog = catalog;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> processorContext) {
        this.context = processorContext;
        collected = context.getStateStore(TrainerTopology.COLLECTED_VOTES_STORE);
        context.schedule(config.snapshotInterval(), PunctuationType.WALL_CLOCK_TIME, this::dropStale);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        PendingKey event = PendingKey.decode(record.key());
        ShardVote vote = ShardVote.decode(record.value());
        if (catalog.ended(event.model(), vote.generation())) {
            metrics.shardStepSkipped(event.model());
            if (collected.get(record.key()) != null) {
                collected.delete(record.key());
            }
            return;
        }
        byte[] open = collected.get(record.key());
        CollectedVotes votes;
        if (open == null) {
            votes = CollectedVotes.first(vote);
        } else {
            votes = CollectedVotes.decode(open);
            if (!votes.isFor(vote)) {
                throw new IllegalStateException("shard " + vote.shard() + " of model '" + event.model() + "' voted for "
                        + "event " + vote.eventPartition() + "@" + vote.eventOffset() + " (" + vote.shards()
                        + " shards) while event " + votes.eventPartition() + "@" + votes.eventOffset() + " with id '"
                        + event.id() + "' waits for " + votes.votesByShard().length + " shards' votes");
            }
            votes = votes.with(vote);
        }
        if (!votes.complete()) {
            collected.put(record.key(), votes.encode());
            return;
        }
        if (open != null) {
            collected.delete(record.key());
        }
        byte[] sum = new ShardSum(vote.generation(), vote.id(), votes.eventPartition(), votes.eventOffset(),
                votes.summedVotes()).encode();
        context.forward(new Record<>(event.model(), sum, record.timestamp()));
    }

    /** Forgets the waits of generations deleted or started afresh since: no vote would complete them. */
    private void dropStale(long wallClock) {
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = collected.all()) {
            while (all.hasNext()) {
                String key = all.next().key;
                PendingKey event = PendingKey.decode(key);
                if (catalog.ended(event.model(), event.generation())) {
                    stale.add(key);
                }
            }
        }
        stale.forEach(collected::delete);
        if (!stale.isEmpty()) {
            LOG.info("{} events of deleted or restarted generations of sharded models no longer wait for their "
                    + "shards' votes", stale.size());
        }
    }
}
