package dev.cara.sdk.spi;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.UnavailableException;

import java.time.Instant;
import java.util.List;

/**
 * Where events are kept: the storage SPI for {@link Event}. A {@link NodeStore} hands out its own
 * ({@link NodeStore#events()}), in the same backend as its nodes. Prove an implementation with the
 * contract kit ({@code dev.cara.sdk.testkit.EventStoreContract} in the {@code cara-sdk-testkit}
 * artifact).
 *
 * <h2>Folding</h2>
 * {@link #record} folds or appends: when the latest stored event with the same
 * {@linkplain dev.cara.sdk.EventFolding#key key} {@linkplain dev.cara.sdk.EventFolding#folds folds}
 * the new one under the store's {@link EventPolicy#folding()}, the store bumps that record's
 * {@code count} and {@code lastTimestamp} (keeping its name and first timestamp); otherwise it adds
 * a record. Only the latest record of a key can take a fold.
 *
 * <h2>Order, revisions and the feed</h2>
 * Every record (added or folded) advances the store's revision and moves the event to the newest
 * end: {@link #list} returns events in the order of their last write, newest last, and each
 * carries the revision of its last write as {@code metadata.resourceVersion}. {@link #changesSince}
 * is the watch feed, as for nodes: the same order, with {@link HistoryGoneException} when the
 * asked-for changes are no longer kept.
 *
 * <h2>Retention</h2>
 * Bounded by {@link #policy()}, by age and by count, and enforced by the store on every write: after
 * {@link #record} returns, the store holds at most {@code maxCount} events and none whose
 * {@code lastTimestamp} is more than {@code maxAge} before the newest {@code lastTimestamp} it was
 * given. As only writes move that reference, a quiet store keeps its last events until
 * {@link #compact(Instant)} is called with the wall-clock time: the leader calls it now and then (its
 * tick), so that an hour without events still forgets the events from before. Retention drops events
 * without a feed entry.
 *
 * <h2>Durability</h2>
 * Events are cheap to lose: they are history for humans, not decisions. {@link #record} need not be
 * durable when it returns, a store may buffer and write in batches, and a crash may lose the most
 * recent events. No caller waits on an event.
 *
 * <h2>Concurrency and errors</h2>
 * Every method is safe to call from many threads; a record and its fold are atomic against other
 * records (two threads recording the same event make count 2, never two records of count 1 within
 * the window). An unreachable backend throws {@link UnavailableException}; a recorder should count
 * and drop such an event rather than fail the work it describes.
 */
public interface EventStore extends Store {

    /**
     * Folds {@code event} into the latest record with its key, or appends it. The store sets the
     * name (unique in this store; a name on {@code event} is ignored) and the resourceVersion, then
     * enforces retention.
     *
     * @return the event as stored: the folded record, or the new one
     */
    Event record(Event event);

    /**
     * The events that match {@code filter}, oldest write first and newest last; when more match than
     * {@code filter.limit()}, the newest that many.
     */
    Snapshot list(EventFilter filter);

    /** The revision of the latest write; 0 for a store never written. */
    long revision();

    /**
     * The changes after {@code afterRevision}, oldest first, at most {@code limit}.
     *
     * @throws HistoryGoneException if changes after {@code afterRevision} are no longer kept (or the
     *                              revision is beyond this store's); list again and follow from there
     */
    List<EventChange> changesSince(long afterRevision, int limit);

    /**
     * Drops the events whose {@code lastTimestamp} is more than {@code maxAge} before {@code now}.
     *
     * @return how many were dropped
     */
    int compact(Instant now);

    /** How this store folds and how much it keeps. */
    EventPolicy policy();

    /** Events as of one revision, oldest write first. */
    record Snapshot(long revision, List<Event> events) {
        public Snapshot {
            events = List.copyOf(events);
        }
    }
}
