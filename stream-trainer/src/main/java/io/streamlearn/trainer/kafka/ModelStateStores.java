package io.streamlearn.trainer.kafka;

import io.streamlearn.core.chunk.BlobChunking;
import io.streamlearn.core.eval.PrequentialEvaluator;
import io.streamlearn.runtime.kafka.ChunkedRecords;
import io.streamlearn.core.model.ModelDefinition;
import io.streamlearn.trainer.model.JournalEntry;
import io.streamlearn.trainer.model.OnlineModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each model recoverable at exactly the committed input offsets. Serialising a whole model per event would be
 * far too slow, so the state is a checkpoint (the model as of some journal sequence) plus a journal of the steps since,
 * both in changelogged stores written inside the same Kafka transaction as the outputs.
 *
 * <p>Journal steps are grouped in blocks of {@value #BLOCK} under one key, rewritten as they fill; the journal store is
 * cached, so a block reaches the changelog once per commit instead of once per step. A block of wide steps (thousands
 * of dense features) is split into pages of at most {@code snapshot.chunk.bytes} (the first page under the block's
 * key, page p under {@code key/p}), so no journal record outgrows Kafka's record limit and an append rewrites only
 * the last page. Blocks form a ring per model; a
 * checkpoint is taken before the ring wraps, so replay never meets an overwritten step, and the blocks a checkpoint
 * covers are deleted with it, so the store holds only the steps a restore replays.
 *
 * <p>A checkpoint is stored chunked ({@link ChunkedRecords}): a model of any size reaches the changelog in records
 * that fit Kafka's default limits, all in the transaction of the step that took it.
 */
final class ModelStateStores {

    static final int BLOCK = 64;

    private final KeyValueStore<String, byte[]> checkpoints;
    private final KeyValueStore<String, byte[]> journal;
    private final int capacity;
    private final int ringBlocks;
    private final int evaluationWindow;
    private final double fadingFactor;
    private final BlobChunking chunking;
    private final Map<String, OpenBlock> openBlocks = new HashMap<>();

    /** The block being appended to: its last page's number and bytes, and that page's store key once built. */
    private static final class OpenBlock {
        int page;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(BLOCK * 128);
        long keyBlock = -1;
        int keyPage = -1;
        String key;

        /** The key of the open page: every step rewrites it, so it is built once per page. */
        String key(ModelStateStores stores, String model, long block) {
            if (keyBlock != block || keyPage != page) {
                key = stores.pageKey(model, block, page);
                keyBlock = block;
                keyPage = page;
            }
            return key;
        }
    }

    ModelStateStores(KeyValueStore<String, byte[]> checkpoints, KeyValueStore<String, byte[]> journal, int capacity,
            int evaluationWindow) {
        this(checkpoints, journal, capacity, evaluationWindow, PrequentialEvaluator.DEFAULT_FADING_FACTOR,
                BlobChunking.defaults());
    }

    ModelStateStores(KeyValueStore<String, byte[]> checkpoints, KeyValueStore<String, byte[]> journal, int capacity,
            int evaluationWindow, double fadingFactor, BlobChunking chunking) {
        this.chunking = chunking;
        this.fadingFactor = fadingFactor;
        this.checkpoints = checkpoints;
        this.journal = journal;
        this.capacity = capacity;
        // Steps after a checkpoint span at most capacity / BLOCK + 1 blocks; one more keeps the ring from touching them.
        this.ringBlocks = capacity / BLOCK + 2;
        this.evaluationWindow = evaluationWindow;
    }

    /**
     * A model as loaded.
     *
     * @param checkpointFirst whether it must be checkpointed before its next step: it is fresh or started afresh, and
     *                        the stores do not yet record the definition it is learned under
     * @param checkpointedSequence the journal sequence of the last checkpoint in the stores (0 when none)
     */
    record Loaded(OnlineModel model, boolean checkpointFirst, long checkpointedSequence) {
    }

    /**
     * The model as the committed state describes it: last checkpoint, then every journal step after it. A definition
     * of a newer generation than the checkpoint's starts the model afresh, continuing its sequence and versions.
     *
     * @throws io.streamlearn.trainer.model.IncompatibleCheckpointException when the checkpoint was learned under
     *         another definition of the same (or a newer) generation
     */
    Loaded load(ModelDefinition definition) {
        String name = definition.name();
        Optional<byte[]> checkpoint = ChunkedRecords.read(checkpoints, name, chunking);
        if (checkpoint.isEmpty()) {
            return new Loaded(replayJournal(name, OnlineModel.fresh(definition, evaluationWindow, fadingFactor)),
                    journal.get(key(name, 0)) == null, 0);
        }
        Optional<OnlineModel.Origin> origin = OnlineModel.origin(checkpoint.get());
        if (origin.isPresent() && origin.get().generation() < definition.generation()) {
            OnlineModel previous = OnlineModel.restore(origin.get().definition(definition.alertRule()),
                    checkpoint.get());
            long checkpointed = previous.appliedSequence();
            replayJournal(name, previous);
            return new Loaded(OnlineModel.restart(definition, previous, evaluationWindow, fadingFactor), true,
                    checkpointed);
        }
        OnlineModel model = OnlineModel.restore(definition, checkpoint.get());
        long checkpointed = model.appliedSequence();
        return new Loaded(replayJournal(name, model), false, checkpointed);
    }

    private OnlineModel replayJournal(String name, OnlineModel model) {
        List<JournalEntry> block = List.of();
        long blockNumber = -1;
        while (true) {
            long sequence = model.nextSequence();
            if (blockNumber != blockOf(sequence)) {
                blockNumber = blockOf(sequence);
                block = readBlock(name, blockNumber);
            }
            int index = indexOf(sequence);
            if (index >= block.size() || block.get(index).sequence() != sequence) {
                reopen(name, block, index, sequence);
                return model;
            }
            model.apply(block.get(index));
        }
    }

    /**
     * Keeps the steps of the current block that precede {@code sequence}, so appending continues that block. Its
     * pages are laid out again under this build's chunk size (rewritten only where the store differs), and pages
     * left over from another layout or from steps after {@code sequence} are deleted.
     */
    private void reopen(String model, List<JournalEntry> block, int index, long sequence) {
        long blockNumber = blockOf(sequence);
        OpenBlock open = new OpenBlock();
        List<byte[]> pages = new ArrayList<>();
        for (int i = 0; i < Math.min(index, block.size()); i++) {
            if (block.get(i).sequence() == sequence - index + i) {
                int page = open.page;
                byte[] before = open.bytes.toByteArray();
                addToPage(open, block.get(i).encode());
                if (open.page != page) {
                    pages.add(before);
                }
            }
        }
        if (open.bytes.size() > 0) {
            pages.add(open.bytes.toByteArray());
        }
        for (int page = 0; page < pages.size(); page++) {
            if (!Arrays.equals(journal.get(pageKey(model, blockNumber, page)), pages.get(page))) {
                journal.put(pageKey(model, blockNumber, page), pages.get(page));
            }
        }
        deletePages(model, blockNumber, pages.size());
        openBlocks.put(model, open);
    }

    void append(String model, JournalEntry entry) {
        OpenBlock open = openBlocks.computeIfAbsent(model, name -> new OpenBlock());
        long block = blockOf(entry.sequence());
        if (indexOf(entry.sequence()) == 0) {
            open.page = 0;
            open.bytes.reset();
            deletePages(model, block, 1);
        }
        addToPage(open, entry.encode());
        journal.put(open.key(this, model, block), open.bytes.toByteArray());
    }

    /** Adds a step to the open page, or to a new page when the open one would pass the chunk size. */
    private void addToPage(OpenBlock open, byte[] entry) {
        if (open.bytes.size() > 0 && open.bytes.size() + 4 + entry.length > chunking.chunkBytes()) {
            open.page++;
            open.bytes.reset();
        }
        write(open.bytes, entry);
    }

    /** Every step of a block, its pages in order. */
    private List<JournalEntry> readBlock(String model, long block) {
        List<JournalEntry> entries = new ArrayList<>(BLOCK);
        for (int page = 0; ; page++) {
            byte[] bytes = journal.get(pageKey(model, block, page));
            if (bytes == null) {
                return entries;
            }
            entries.addAll(decode(bytes));
        }
    }

    /** Deletes the block's pages from {@code first} on. */
    private void deletePages(String model, long block, int first) {
        for (int page = first; journal.get(pageKey(model, block, page)) != null; page++) {
            journal.delete(pageKey(model, block, page));
        }
    }

    /** Whether this task's stores hold any committed state of the model. */
    boolean hasState(ModelDefinition definition) {
        return checkpoints.get(definition.name()) != null || journal.get(key(definition.name(), 0)) != null;
    }

    /** True when the journal holds as many steps after {@code lastCheckpoint} as the ring may keep. */
    boolean checkpointDue(OnlineModel model, long lastCheckpoint) {
        return model.appliedSequence() - lastCheckpoint >= capacity;
    }

    /**
     * Writes the model whole and deletes the journal blocks it makes unnecessary (every block before the one that
     * holds the model's last step, from the one after {@code previousCheckpoint}).
     *
     * @return the bytes written to the store (compressed chunks and manifest)
     */
    long checkpoint(OnlineModel model, long previousCheckpoint) {
        String name = model.definition().name();
        long written = ChunkedRecords.write(checkpoints, name, model.checkpoint(), new byte[0], chunking);
        long current = blockOf(model.appliedSequence());
        for (long block = Math.max(0, blockOf(previousCheckpoint + 1)); block < current; block++) {
            deletePages(name, block, 0);
        }
        return written;
    }

    /**
     * Replaces the model's learned state with an empty model that keeps only its sequence and version numbers (its
     * model was deleted): a model defined again under the name goes on with later versions, which servers that held
     * the old ones take, and a sharded model's shards keep the version numbers of their model. The journal blocks the
     * checkpoint covers are deleted with it, as by any checkpoint; the last one stays (appending continues it).
     *
     * @return the bytes written to the store
     */
    long retire(OnlineModel model, long previousCheckpoint) {
        return checkpoint(OnlineModel.restart(model.definition(), model, evaluationWindow, fadingFactor),
                previousCheckpoint);
    }

    private static long blockOf(long sequence) {
        return (sequence - 1) / BLOCK;
    }

    private static int indexOf(long sequence) {
        return (int) ((sequence - 1) % BLOCK);
    }

    private String key(String model, long block) {
        return model + '/' + (block % ringBlocks);
    }

    private String pageKey(String model, long block, int page) {
        return page == 0 ? key(model, block) : key(model, block) + '/' + page;
    }

    private static void write(ByteArrayOutputStream out, byte[] entry) {
        out.write(entry.length >>> 24);
        out.write(entry.length >>> 16);
        out.write(entry.length >>> 8);
        out.write(entry.length);
        out.writeBytes(entry);
    }

    private static List<JournalEntry> decode(byte[] block) {
        List<JournalEntry> entries = new ArrayList<>(BLOCK);
        ByteBuffer buffer = ByteBuffer.wrap(block);
        while (buffer.remaining() >= 4) {
            byte[] entry = new byte[buffer.getInt()];
            buffer.get(entry);
            entries.add(JournalEntry.decode(entry));
        }
        return entries;
    }
}
