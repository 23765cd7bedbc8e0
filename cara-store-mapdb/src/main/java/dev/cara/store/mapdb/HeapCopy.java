package dev.cara.store.mapdb;

import dev.cara.sdk.Node;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.ChangeHistory;
import dev.cara.sdk.spi.NodeStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's state in the heap, and {@code writeLock}, the lock that owns it: the copy of every
 * node (published under the lock, read without it), the change history, the revision, the durable
 * ceiling (the highest revision ceiling a commit recorded: see {@link MapDbStore}) and the dirty
 * nodes, each with its latest status write that is not committed yet.
 *
 * <p>Methods named {@code ...Locked} and {@link #publish}, {@link #takeDirty} and {@link #durable}
 * must be called with the lock held ({@link #lock}); the others take it themselves. The lock is
 * reentrant and always taken after the group-commit lock, never before it.
 */
final class HeapCopy {
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentHashMap<String, Node> nodes;
    private final ChangeHistory<Change> history;
    private long revision;
    private long durableCeiling;
    // A flush or spec-write batch takes the whole map (takeDirty) and leaves an empty one; dirtyCount
    // mirrors its size for readers without the lock.
    private HashMap<String, Node> dirty = new HashMap<>();
    private volatile int dirtyCount;
    private volatile boolean closed;

    /** What {@link #publishStatus} did. */
    enum StatusOutcome {
        /** Published, and the node is marked dirty. */
        PUBLISHED,
        /** The node changed (or went) since the caller read it: run the mutation again. */
        STALE,
        /** No committed ceiling covers another revision: flush, then try again. */
        NO_CEILING
    }

    HeapCopy(ConcurrentHashMap<String, Node> nodes, long revision, int history) {
        this.nodes = nodes;
        this.revision = revision;
        this.durableCeiling = revision;
        // The history starts at the open; revisions before it (and before a crash gap) are gone.
        this.history = ChangeHistory.startingAt(revision, history);
    }

    void lock() {
        writeLock.lock();
    }

    void unlock() {
        writeLock.unlock();
    }

    /** The node as last published, or null. No lock: the map is concurrent and its values immutable. */
    Node get(String name) {
        return nodes.get(name);
    }

    NodeStore.Snapshot list() {
        writeLock.lock();
        try {
            return new NodeStore.Snapshot(revision, new ArrayList<>(new TreeMap<>(nodes).values()));
        } finally {
            writeLock.unlock();
        }
    }

    long revision() {
        writeLock.lock();
        try {
            return revision;
        } finally {
            writeLock.unlock();
        }
    }

    List<Change> changesSince(long afterRevision, int limit) {
        writeLock.lock();
        try {
            return history.since(afterRevision, limit);
        } finally {
            writeLock.unlock();
        }
    }

    long revisionLocked() {
        return revision;
    }

    long durableCeilingLocked() {
        return durableCeiling;
    }

    /** A commit recorded {@code ceiling}: revisions up to it may be handed out. */
    void durable(long ceiling) {
        durableCeiling = Math.max(durableCeiling, ceiling);
    }

    /** Makes a change visible: the next revision, the history and the node copy. */
    void publish(Change c) {
        history.append(c);
        revision = c.revision();
        if (c.type() == Change.Type.DELETED) {
            nodes.remove(c.node().name());
        } else {
            nodes.put(c.node().name(), c.node());
        }
    }

    /**
     * A status write: publishes {@code stored} and marks it dirty if {@code current} is still the
     * published node and a committed ceiling covers its revision. The critical section is a few map
     * puts and an array store: no I/O, no serialization.
     *
     * @throws IllegalStateException if the store was closed meanwhile
     */
    StatusOutcome publishStatus(String name, Node current, Node stored, String description) {
        writeLock.lock();
        try {
            ensureOpen(description);
            if (nodes.get(name) != current) {
                return StatusOutcome.STALE;
            }
            if (revision >= durableCeiling) {
                return StatusOutcome.NO_CEILING;
            }
            publish(new Change(revision + 1, Change.Type.MODIFIED, stored));
            // Keyed by the stored node's own name, not the caller's equal copy (a heartbeat's is parsed
            // from its request): the key lives on in StatusRecords for the node's life, so a second copy
            // of every node's name would stay in the heap.
            dirty.put(stored.name(), stored);
            dirtyCount = dirty.size();
            return StatusOutcome.PUBLISHED;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Takes the pending status writes and leaves none: a status write that lands later goes to the
     * fresh map. O(1): the caller iterates what it took without any lock, since no writer can reach
     * the old map once it is swapped out under the lock.
     */
    Map<String, Node> takeDirty() {
        HashMap<String, Node> taken = dirty;
        if (taken.isEmpty()) {
            return Map.of();
        }
        dirty = new HashMap<>(Math.max(16, taken.size() * 2));
        dirtyCount = 0;
        return taken;
    }

    /**
     * After a failed commit: marks the nodes it carried dirty again, unless a later status write
     * already did (with a newer node). No spec write can have changed them meanwhile: the caller
     * holds the group-commit lock, which every spec write needs.
     */
    void restoreDirty(Map<String, Node> taken) {
        writeLock.lock(); // reentrant: a spec-write batch already holds it
        try {
            taken.forEach(dirty::putIfAbsent);
            dirtyCount = dirty.size();
        } finally {
            writeLock.unlock();
        }
    }

    /** How many nodes have status writes that are not committed yet. */
    int pendingStatusWrites() {
        return dirtyCount;
    }

    /** From here no write reaches the heap, so a final flush that follows sees them all. */
    void markClosed() {
        writeLock.lock();
        try {
            closed = true;
        } finally {
            writeLock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    void ensureOpen(String description) {
        if (closed) {
            throw new IllegalStateException("the store " + description + " is closed");
        }
    }
}
