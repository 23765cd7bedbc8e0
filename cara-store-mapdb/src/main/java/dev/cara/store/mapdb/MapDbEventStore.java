package dev.cara.store.mapdb;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.EventChange;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.MemoryEventStore;

import java.time.Instant;
import java.util.List;

/**
 * The events of a {@link MapDbStore}, in the same file: {@link MapDbStore#events()}.
 *
 * <p>Folding, retention and the feed are the SDK's {@link MemoryEventStore}, restored at open from
 * the file's {@code events} map; its {@link EventJournal} hears every write and every retention drop,
 * and the store's status flush commits them with the heartbeats, every flush interval. So a record
 * costs no commit (events may be lost in a crash, the SPI says: at most one flush window of them),
 * and the file holds what the heap holds, never more than the policy's {@code maxCount} events nor
 * any older than its {@code maxAge}, once that flush has run.
 *
 * <p>The revision continues at each open from the latest event revision committed; a crash can hand
 * out again the revisions of the events it lost, which no reader kept (the feed starts empty at open).
 *
 * <p>It lives and dies with the {@link MapDbStore}; its own {@link #close()} releases nothing.
 */
final class MapDbEventStore implements EventStore {
    private final MemoryEventStore heap;
    private final String description;

    MapDbEventStore(MemoryEventStore heap, String description) {
        this.heap = heap;
        this.description = description;
    }

    @Override
    public Event record(Event event) {
        return heap.record(event);
    }

    @Override
    public Snapshot list(EventFilter filter) {
        return heap.list(filter);
    }

    @Override
    public long revision() {
        return heap.revision();
    }

    @Override
    public List<EventChange> changesSince(long afterRevision, int limit) {
        return heap.changesSince(afterRevision, limit);
    }

    @Override
    public int compact(Instant now) {
        return heap.compact(now);
    }

    @Override
    public EventPolicy policy() {
        return heap.policy();
    }

    @Override
    public String describe() {
        return description;
    }

    /** Nothing to release: the {@link MapDbStore}'s close flushes the last events and ends this store. */
    @Override
    public void close() {
    }

    /** How many events are kept now. */
    int size() {
        return heap.size();
    }
}
