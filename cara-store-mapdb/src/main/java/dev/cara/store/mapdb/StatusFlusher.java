package dev.cara.store.mapdb;

import dev.cara.sdk.Node;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Commits status writes (heartbeats): the dirty nodes of the {@link HeapCopy}, and the pending event
 * writes of the {@link EventJournal}, in one commit, every
 * flush interval on the thread {@code cara-mapdb-committer}, sooner when {@code flushCount} nodes are
 * dirty, and once more on close. A failed flush puts what it took back and is retried on the next
 * tick; its failure is kept for {@link MapDbStore#checkHealth} until a flush succeeds, and logged once
 * per outage rather than every tick.
 *
 * <p>Threads: the committer thread runs the scheduled and early flushes; {@link #flush()} runs on its
 * caller. Every flush holds the group-commit lock, so it never overlaps a spec-write batch.
 */
final class StatusFlusher {
    private static final Logger LOG = Logger.getLogger(MapDbStore.class.getName());

    private final HeapCopy heap;
    private final EventJournal events;
    private final DiskThread disk;
    private final GroupCommit<?, ?> commits;
    private final String description;
    private final int flushCount;
    private final ScheduledExecutorService committer; // null when flushes are manual
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    // The last background flush's failure, cleared by the next success: checkHealth reports it.
    private volatile RuntimeException failure;

    StatusFlusher(HeapCopy heap, EventJournal events, DiskThread disk, GroupCommit<?, ?> commits, String description,
                  Duration interval, int flushCount) {
        this.heap = heap;
        this.events = events;
        this.disk = disk;
        this.commits = commits;
        this.description = description;
        this.flushCount = flushCount;
        if (interval.isZero()) {
            this.committer = null;
        } else {
            this.committer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cara-mapdb-committer");
                t.setDaemon(true);
                return t;
            });
            long nanos = interval.toNanos();
            committer.scheduleWithFixedDelay(this::backgroundFlush, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Commits every pending status write now, on this thread. */
    void flush() {
        commits.lock();
        try {
            heap.ensureOpen(description);
            flushHoldingLock(false);
        } finally {
            commits.unlock();
        }
    }

    /** After a status write left {@code pending} nodes dirty: flush early when there are enough. */
    void written(int pending) {
        if (pending < flushCount) {
            return;
        }
        if (committer == null) {
            flush();
        } else if (flushQueued.compareAndSet(false, true)) {
            try {
                committer.execute(() -> {
                    flushQueued.set(false);
                    backgroundFlush();
                });
            } catch (RejectedExecutionException closing) {
                flushQueued.set(false); // close() flushes everything anyway
            }
        }
    }

    /** The failure of the last background flush, if it has not succeeded since. */
    RuntimeException failure() {
        return failure;
    }

    /** Stops the committer thread, letting a flush in progress finish (close flushes the rest). */
    void stop() {
        if (committer != null) {
            committer.shutdown(); // not shutdownNow: a flush in progress must finish, not be interrupted
            try {
                committer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Called with the group-commit lock held. {@code finalFlush} records the exact revision instead of
     * a ceiling above it.
     */
    void flushHoldingLock(boolean finalFlush) {
        Map<String, Node> taken;
        long rev;
        long ceilingNow;
        heap.lock();
        try {
            taken = heap.takeDirty();
            rev = heap.revisionLocked();
            ceilingNow = heap.durableCeilingLocked();
        } finally {
            heap.unlock();
        }
        EventJournal.Batch eventBatch = events.take();
        boolean ceilingLow = ceilingNow - rev < MapDbStore.REVISION_BLOCK / 2;
        if (taken.isEmpty() && eventBatch.isEmpty() && !ceilingLow && !finalFlush) {
            return; // nothing to write: no commit, no fsync
        }
        long ceiling = finalFlush ? rev : Math.max(ceilingNow, rev + MapDbStore.REVISION_BLOCK);
        // Serialized here, outside the heap lock: status writes go on meanwhile (into the fresh dirty
        // map). Each taken node is the latest status write of its node as of the take, and no spec
        // write can run now (we hold the group-commit lock), so nothing written here is older than
        // what the file holds.
        Map<String, byte[]> records = new HashMap<>(Math.max(16, taken.size() * 2));
        NodeRecords.Writer writer = new NodeRecords.Writer();
        for (Map.Entry<String, Node> e : taken.entrySet()) {
            records.put(e.getKey(), writer.record(e.getValue()));
        }
        try {
            disk.commit(Map.of(), records, List.of(), ceiling, eventBatch);
        } catch (RuntimeException e) {
            heap.restoreDirty(taken);
            events.restore(eventBatch);
            throw e;
        }
        if (!finalFlush) {
            heap.lock();
            try {
                heap.durable(ceiling);
            } finally {
                heap.unlock();
            }
        }
    }

    private void backgroundFlush() {
        try {
            if (!heap.isClosed()) {
                flush();
                if (failure != null) {
                    LOG.info(description + ": status writes are being committed again");
                    failure = null;
                }
            }
        } catch (IllegalStateException closedMeanwhile) {
            // close() ran between the check and the flush, and flushed everything itself
        } catch (RuntimeException e) {
            if (failure == null) {
                LOG.log(Level.WARNING, description + ": could not commit status writes; retrying every tick", e);
            }
            failure = e;
        }
    }
}
