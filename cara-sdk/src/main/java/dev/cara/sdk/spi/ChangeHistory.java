package dev.cara.sdk.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A helper for store authors: the last {@code capacity} changes of a store that keeps its change feed
 * in the heap, answering {@link NodeStore#changesSince} by its contract. The memory and MapDB stores
 * use it; a third-party store may too.
 *
 * <p>The history starts at a revision (0 for a new store, the revision a reopened store continues
 * from) and holds only what was appended since: changes from before the start are gone. Revisions
 * must be appended one after another ({@code latest() + 1}), which is what lets one array index them.
 *
 * <p>Not thread-safe: the store owns it and calls it under the lock that orders its writes, so that
 * a reader sees the history and the store's revision agree.
 */
public final class ChangeHistory {
    private final Change[] ring; // revision r lives at ring[r % ring.length]
    private final long start;
    private long latest;

    private ChangeHistory(long start, int capacity) {
        this.ring = new Change[capacity];
        this.start = start;
        this.latest = start;
    }

    /**
     * An empty history that keeps the last {@code capacity} changes after {@code revision}.
     *
     * @param revision the store's revision when the history starts: the first change appended is the next one
     */
    public static ChangeHistory startingAt(long revision, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history must be at least 1, was " + capacity);
        }
        if (revision < 0) {
            throw new IllegalArgumentException("the starting revision must not be negative, was " + revision);
        }
        return new ChangeHistory(revision, capacity);
    }

    /** The revision of the latest change appended, or the starting revision if none was. */
    public long latest() {
        return latest;
    }

    /** The oldest revision still kept; {@code latest() + 1} while the history is empty. */
    public long oldestKept() {
        return Math.max(start + 1, latest - ring.length + 1);
    }

    /**
     * Appends the next change, dropping the oldest one when full.
     *
     * @throws IllegalArgumentException if its revision is not {@code latest() + 1}
     */
    public void append(Change change) {
        Objects.requireNonNull(change, "change");
        if (change.revision() != latest + 1) {
            throw new IllegalArgumentException("the next change must have revision " + (latest + 1) + ", was "
                    + change.revision());
        }
        ring[(int) (change.revision() % ring.length)] = change;
        latest = change.revision();
    }

    /**
     * {@link NodeStore#changesSince}: the changes after {@code afterRevision}, oldest first, at most
     * {@code limit}.
     *
     * @throws HistoryGoneException if a change after {@code afterRevision} is no longer kept, or if
     *                              {@code afterRevision} is ahead of {@link #latest()}: that revision
     *                              came from another store (or from this one before a restart)
     */
    public List<Change> since(long afterRevision, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        long oldest = oldestKept();
        if (afterRevision > latest) {
            throw HistoryGoneException.ahead(afterRevision, latest, oldest);
        }
        if (afterRevision + 1 < oldest) {
            throw new HistoryGoneException(afterRevision, oldest);
        }
        int count = (int) Math.min(limit, latest - afterRevision);
        List<Change> out = new ArrayList<>(count);
        for (long r = afterRevision + 1; out.size() < count; r++) {
            out.add(ring[(int) (r % ring.length)]);
        }
        return out;
    }
}
