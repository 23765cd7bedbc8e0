package dev.cara.store.mapdb;

import dev.cara.sdk.Node;
import dev.cara.sdk.spi.Change;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The spec writes of a {@link MapDbStore} (create, update, delete), one batch at a time: the
 * committer its {@link GroupCommit} calls with the group-commit lock held. It owns nothing mutable
 * but its commit count; the heap state is {@link HeapCopy}'s, under its writeLock.
 */
final class SpecBatch implements Consumer<List<GroupCommit.Write<SpecBatch.Op, Node>>> {
    private final HeapCopy heap;
    private final DiskThread disk;
    private final String description;
    // Commits of spec-write batches, for tests that check that concurrent writes share commits.
    private final AtomicLong commits = new AtomicLong();

    SpecBatch(HeapCopy heap, DiskThread disk, String description) {
        this.heap = heap;
        this.disk = disk;
        this.description = description;
    }

    /**
     * One spec write, evaluated by whichever thread commits its batch: given the nodes as the earlier
     * writes of the batch left them (null: absent) and the revision it gets if it succeeds, it returns
     * what to store, or throws (AlreadyExists, NotFound, Conflict, or the caller's mutation failing).
     */
    @FunctionalInterface
    interface Op {
        Staged apply(Function<String, Node> view, long next);
    }

    /** What a successful spec write stores ({@code stored} null: removed) and publishes. */
    record Staged(String name, Node stored, Change.Type type, Node changed) {
    }

    /**
     * The group committer, called with the group-commit lock held. Evaluates each write in order
     * against the heap state plus the batch's earlier writes (each success takes the next revision; a
     * failed write takes none and does not fail the others), commits the survivors together with the
     * pending status writes, and only then publishes them. writeLock is held throughout, so no status
     * write can change a node between evaluation and publication, and no reader sees a write before
     * its commit returned. If the commit fails, every write of the batch that would have succeeded
     * fails with it and nothing is published.
     */
    @Override
    public void accept(List<GroupCommit.Write<Op, Node>> batch) {
        heap.lock();
        try {
            if (heap.isClosed()) {
                IllegalStateException closedError = new IllegalStateException("the store " + description + " is closed");
                batch.forEach(w -> w.fail(closedError));
                return;
            }
            Map<String, Node> staged = new HashMap<>();  // name -> node as the batch leaves it; null: deleted
            Map<String, byte[]> puts = new HashMap<>();  // the same, serialized, for the names it keeps
            Set<String> removals = new HashSet<>();       // and the names it deletes
            NodeRecords.Writer writer = new NodeRecords.Writer();
            Function<String, Node> view = name -> staged.containsKey(name) ? staged.get(name) : heap.get(name);
            List<Change> changes = new ArrayList<>();
            List<GroupCommit.Write<Op, Node>> succeeded = new ArrayList<>();
            long next = heap.revisionLocked();
            for (GroupCommit.Write<Op, Node> w : batch) {
                try {
                    Staged s = w.op().apply(view, next + 1);
                    byte[] record = s.stored() == null ? null : writer.record(s.stored());
                    next++;
                    staged.put(s.name(), s.stored());
                    if (record == null) {
                        puts.remove(s.name());
                        removals.add(s.name());
                    } else {
                        removals.remove(s.name());
                        puts.put(s.name(), record);
                    }
                    changes.add(new Change(next, s.type(), s.changed()));
                    w.succeed(s.changed());
                    succeeded.add(w);
                } catch (RuntimeException | Error e) {
                    w.fail(e); // this write only: the others of the batch go on
                }
            }
            if (changes.isEmpty()) {
                return; // every write failed its check: nothing to commit
            }
            // Fold the pending status writes into this commit: it costs one msync either way, and the
            // heap copy is current because we hold writeLock. A node this batch writes is left to the
            // batch's record, which already carries its latest status.
            Map<String, Node> drained = heap.takeDirty();
            Map<String, byte[]> statusPuts = new HashMap<>(Math.max(16, drained.size() * 2));
            for (Map.Entry<String, Node> e : drained.entrySet()) {
                if (!staged.containsKey(e.getKey())) {
                    statusPuts.put(e.getKey(), writer.record(e.getValue()));
                }
            }
            long ceiling = Math.max(heap.durableCeilingLocked(), next + MapDbStore.REVISION_BLOCK);
            try {
                disk.commit(puts, statusPuts, removals, ceiling, EventJournal.Batch.NONE);
            } catch (RuntimeException e) {
                heap.restoreDirty(drained);
                succeeded.forEach(w -> w.fail(e));
                return;
            }
            commits.incrementAndGet();
            heap.durable(ceiling);
            changes.forEach(heap::publish);
        } finally {
            heap.unlock();
        }
    }

    /** How many commits spec writes have paid for since the open. */
    long commits() {
        return commits.get();
    }
}
