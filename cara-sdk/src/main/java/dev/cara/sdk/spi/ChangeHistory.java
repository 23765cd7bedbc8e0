package dev.cara.sdk.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * A helper for store authors: the last {@code capacity} changes of a store that keeps its change feed
 * in the heap, answering {@link NodeStore#changesSince} (and {@link ProjectStore#changesSince}) by its
 * contract. The memory and MapDB stores use it for both feeds; a third-party store may too.
 *
 * <p>The history starts at a revision (0 for a new store, the revision a reopened store continues
 * from) and holds only what was appended since: changes from before the start are gone. Revisions
 * must be appended one after another ({@code latest() + 1}), which is what lets one array index them.
 *
 * @param <C> the change type: {@link Change} for nodes, {@link ProjectChange} for projects
 *
 * <p>Not thread-safe: the store owns it and calls it under the lock that orders its writes, so that
 * a reader sees the history and the store's revision agree.
 */
public final class ChangeHistory<C> {
    private final Object[] ring; // revision r lives at ring[r % ring.length]; only C is stored
    private final ToLongFunction<? super C> revisionOf;
    private final long start;
    private long latest;

    private ChangeHistory(long start, int capacity, ToLongFunction<? super C> revisionOf) {
        this.ring = new Object[capacity];
        this.revisionOf = revisionOf;
        this.start = start;
        this.latest = start;
    }

    /**
     * An empty history that keeps the last {@code capacity} changes after {@code revision}.
     *
     * @param revision the store's revision when the history starts: the first change appended is the next one
     */
    public static ChangeHistory<Change> startingAt(long revision, int capacity) {
        return startingAt(revision, capacity, Change::revision);
    }

    /**
     * An empty history of any change type that keeps the last {@code capacity} changes after
     * {@code revision}.
     *
     * @param revision   the store's revision when the history starts: the first change appended is the next one
     * @param revisionOf the revision a change carries
     */
    public static <C> ChangeHistory<C> startingAt(long revision, int capacity, ToLongFunction<? super C> revisionOf) {
        Objects.requireNonNull(revisionOf, "revisionOf");
        if (capacity < 1) {
            throw new IllegalArgumentException("history must be at least 1, was " + capacity);
        }
        if (revision < 0) {
            throw new IllegalArgumentException("the starting revision must not be negative, was " + revision);
        }
        return new ChangeHistory<>(revision, capacity, revisionOf);
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
    public void append(C change) {
        Objects.requireNonNull(change, "change");
        long revision = revisionOf.applyAsLong(change);
        if (revision != latest + 1) {
            throw new IllegalArgumentException("the next change must have revision " + (latest + 1) + ", was "
                    + revision);
        }
        ring[(int) (revision % ring.length)] = change;
        latest = revision;
    }

    /**
     * {@link NodeStore#changesSince}: the changes after {@code afterRevision}, oldest first, at most
     * {@code limit}.
     *
     * @throws HistoryGoneException if a change after {@code afterRevision} is no longer kept, or if
     *                              {@code afterRevision} is ahead of {@link #latest()}: that revision
     *                              came from another store (or from this one before a restart)
     */
    @SuppressWarnings("unchecked") // append stores only C
    public List<C> since(long afterRevision, int limit) {
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
        List<C> out = new ArrayList<>(count);
        for (long r = afterRevision + 1; out.size() < count; r++) {
            out.add((C) ring[(int) (r % ring.length)]);
        }
        return out;
    }
}
