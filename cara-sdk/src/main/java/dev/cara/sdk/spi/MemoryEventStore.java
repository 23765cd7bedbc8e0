package dev.cara.sdk.spi;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventFolding;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.InvolvedObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An {@link EventStore} in the heap, the reference implementation of the SPI; {@link MemoryStore}
 * hands one out. Names are {@code <object name>.<revision in hex>}, unique in the store.
 *
 * <p><b>Concurrency.</b> One lock, {@code lock}, guards every field below it. Events are recorded at
 * the pace of state changes (not heartbeats), so one lock costs nothing that matters; each call is a
 * few map operations under it.
 *
 * <p><b>Indexes.</b> {@code byName} is in write order (a fold moves its record to the newest end),
 * which is the list order and the order retention by count drops from; {@code byAge} orders by
 * {@code lastTimestamp}, which retention by age drops from, so that an event recorded with an old
 * timestamp cannot outstay its age behind younger ones; {@code latest} maps each folding key to the
 * one record that may take its next fold; {@code perObject} counts the kept events of each involved
 * object, so that a list about one object (a registration asks whether the history knows the name)
 * answers at once for an object with none, and stops scanning once it has seen all of one's events,
 * instead of reading every event kept: at fleet scale that scan made registration quadratic.
 *
 * <p><b>Under a durable store.</b> A store that keeps events on disk may use this class for the
 * folding, retention and feed, and keep its file in step through a {@link Journal}: {@link #restore}
 * starts from what the file held, and the journal hears every write and every retention drop, under
 * the lock, in order.
 */
public final class MemoryEventStore implements EventStore {
    private static final Comparator<Aged> BY_AGE = Comparator.comparing(Aged::last).thenComparingLong(Aged::revision);

    private final EventPolicy policy;
    private final Journal journal;
    private final String description;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final LinkedHashMap<String, Event> byName = new LinkedHashMap<>();
    private final TreeSet<Aged> byAge = new TreeSet<>(BY_AGE);
    private final Map<EventFolding.Key, String> latest = new HashMap<>();
    private final Map<InvolvedObject, Integer> perObject = new HashMap<>();
    private final ChangeHistory<EventChange> changes;
    private Instant newest = Instant.MIN;
    // Written without the lock (close is idempotent and one-way), read under it.
    private volatile boolean closed;

    private MemoryEventStore(EventPolicy policy, long revision, Journal journal, String description) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.description = Objects.requireNonNull(description, "description");
        this.changes = ChangeHistory.startingAt(revision, policy.maxCount(), EventChange::revision);
    }

    /** A store with {@link EventPolicy#defaults()}. */
    public static MemoryEventStore create() {
        return create(EventPolicy.defaults());
    }

    /** A store that folds and keeps events by {@code policy}; its feed keeps as many changes as it keeps events. */
    public static MemoryEventStore create(EventPolicy policy) {
        return new MemoryEventStore(policy, 0, Journal.NONE, "memory:");
    }

    /**
     * A store that continues from what a durable store kept: {@code events} as stored (names and
     * resourceVersions set), in the order of their last write, at store revision {@code revision}
     * (at least the highest resourceVersion among them). The feed starts empty there, so a watcher
     * from before lists again. Retention by {@code policy} applies at once (a policy made smaller
     * since drops the surplus, through the journal); later writes and drops go to {@code journal}.
     * {@code description} is what {@link #describe()} says: the durable store's own.
     */
    public static MemoryEventStore restore(EventPolicy policy, long revision, List<Event> events, Journal journal,
                                           String description) {
        MemoryEventStore store = new MemoryEventStore(policy, revision, journal, description);
        store.locked(() -> {
            for (Event e : events) {
                if (Long.parseLong(e.metadata().resourceVersion()) > revision) {
                    throw new IllegalArgumentException("event " + e.name() + " is at resourceVersion "
                            + e.metadata().resourceVersion() + ", past the store revision " + revision);
                }
                store.add(e);
            }
            store.enforceRetention();
            return null;
        });
        return store;
    }

    /**
     * What a durable store under this one hears, with this store's lock held (so in the order of the
     * writes): keep it short and do not call back into the store.
     */
    public interface Journal {
        /** A journal that keeps nothing: the store lives in the heap only. */
        Journal NONE = new Journal() {
            @Override
            public void written(Event stored) {
            }

            @Override
            public void dropped(Event event) {
            }
        };

        /** {@code stored} was recorded (a new record, or a fold that replaces the record of its name). */
        void written(Event stored);

        /** Retention dropped {@code event}. */
        void dropped(Event event);
    }

    @Override
    public Event record(Event event) {
        Objects.requireNonNull(event, "event");
        return locked(() -> {
            EventFolding.Key key = EventFolding.key(event);
            String version = Long.toString(changes.latest() + 1);
            Event existing = latestOf(key);
            Event stored;
            Change.Type type;
            if (existing != null && policy.folding().folds(existing, event)) {
                remove(existing);
                stored = policy.folding().fold(existing, event).stored(existing.name(), version);
                type = Change.Type.MODIFIED;
            } else {
                stored = event.stored(event.involvedObject().name() + "." + Long.toHexString(changes.latest() + 1), version);
                type = Change.Type.ADDED;
            }
            add(stored);
            changes.append(new EventChange(changes.latest() + 1, type, stored));
            journal.written(stored);
            enforceRetention();
            return stored;
        });
    }

    @Override
    public Snapshot list(EventFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return locked(() -> {
            List<Event> out = new ArrayList<>();
            // About one object: only its events can match, and perObject says how many there are.
            int unseen = filter.object().map(o -> perObject.getOrDefault(o, 0)).orElse(Integer.MAX_VALUE);
            InvolvedObject object = filter.object().orElse(null);
            for (Iterator<Event> it = byName.sequencedValues().reversed().iterator();
                 unseen > 0 && it.hasNext() && out.size() < filter.limit(); ) {
                Event e = it.next();
                if (object != null && e.involvedObject().equals(object)) {
                    unseen--;
                }
                if (filter.test(e)) {
                    out.add(e);
                }
            }
            Collections.reverse(out);
            return new Snapshot(changes.latest(), out);
        });
    }

    @Override
    public long revision() {
        return locked(changes::latest);
    }

    @Override
    public List<EventChange> changesSince(long afterRevision, int limit) {
        return locked(() -> changes.since(afterRevision, limit));
    }

    @Override
    public int compact(Instant now) {
        Objects.requireNonNull(now, "now");
        return locked(() -> dropOlderThan(now.minus(policy.maxAge())));
    }

    @Override
    public EventPolicy policy() {
        return policy;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** How many events are kept now. */
    public int size() {
        return locked(byName::size);
    }

    // The methods below run with the lock held.

    private void add(Event stored) {
        byName.put(stored.name(), stored);
        byAge.add(Aged.of(stored));
        latest.put(EventFolding.key(stored), stored.name());
        perObject.merge(stored.involvedObject(), 1, Integer::sum);
        if (stored.lastTimestamp().isAfter(newest)) {
            newest = stored.lastTimestamp();
        }
    }

    private void enforceRetention() {
        while (byName.size() > policy.maxCount()) {
            drop(byName.firstEntry().getValue());
        }
        if (!byName.isEmpty()) { // an empty store has no newest event to measure age from
            dropOlderThan(newest.minus(policy.maxAge()));
        }
    }

    private void drop(Event e) {
        remove(e);
        journal.dropped(e);
    }

    private Event latestOf(EventFolding.Key key) {
        String name = latest.get(key);
        return name == null ? null : byName.get(name);
    }

    private int dropOlderThan(Instant cutoff) {
        int dropped = 0;
        while (!byAge.isEmpty() && byAge.first().last().isBefore(cutoff)) {
            drop(byName.get(byAge.first().name()));
            dropped++;
        }
        return dropped;
    }

    private void remove(Event e) {
        byName.remove(e.name());
        byAge.remove(Aged.of(e));
        latest.remove(EventFolding.key(e), e.name());
        perObject.computeIfPresent(e.involvedObject(), (o, n) -> n == 1 ? null : n - 1);
    }

    private <T> T locked(Supplier<T> body) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the event store is closed");
            }
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /** An event's place in the age index: its last occurrence, then its revision to break ties. */
    private record Aged(Instant last, long revision, String name) {
        static Aged of(Event e) {
            return new Aged(e.lastTimestamp(), Long.parseLong(e.metadata().resourceVersion()), e.name());
        }
    }
}
