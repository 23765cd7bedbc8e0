package dev.cara.store.mapdb;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.MemoryEventStore;

import java.util.List;
import java.util.Objects;

/**
 * The store's event view ({@link MapDbStore#events()}), made on the first ask so that a server's
 * retention settings apply from the start; until then the file's events wait here. Its
 * {@link EventJournal} hears every write and retention drop, and the status flush commits them.
 *
 * <p>Threads: made and closed under this object's monitor; the view is thread-safe by itself once made.
 */
final class EventView {
    private final long revisionAtOpen;
    private final EventJournal journal;
    private final EventPolicy defaultPolicy;
    private final String description;
    private MemoryEventStore events; // guarded by this
    private List<Event> atOpen; // guarded by this; null once the view is made

    EventView(long revisionAtOpen, List<Event> atOpen, EventPolicy defaultPolicy, String description) {
        this.revisionAtOpen = revisionAtOpen;
        this.journal = new EventJournal(revisionAtOpen);
        this.atOpen = atOpen;
        this.defaultPolicy = defaultPolicy;
        this.description = description;
    }

    /** Where the view's writes wait for the next status flush. */
    EventJournal journal() {
        return journal;
    }

    synchronized EventStore get() {
        return events == null ? get(defaultPolicy) : events;
    }

    synchronized EventStore get(EventPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (events == null) {
            events = MemoryEventStore.restore(policy, revisionAtOpen, atOpen, journal, description);
            atOpen = null;
        } else if (!events.policy().equals(policy)) {
            throw new UnsupportedOperationException(description + " already keeps events by " + events.policy()
                    + "; ask for the policy before the first use of events()");
        }
        return events;
    }

    /** Ends the view, if made: no event after this, so the final flush writes every one recorded. */
    synchronized void close() {
        if (events != null) {
            events.close();
        }
    }
}
