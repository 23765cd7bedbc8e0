package dev.cara.sdk;

import dev.cara.sdk.spi.EventChange;
import dev.cara.sdk.spi.EventStore;

import java.time.Instant;
import java.util.List;

/** An event store whose backend is down: every call fails as an unreachable one does. */
final class FailingEventStore implements EventStore {
    private static UnavailableException down() {
        return new UnavailableException("the event store is down");
    }

    @Override
    public Event record(Event event) {
        throw down();
    }

    @Override
    public Snapshot list(EventFilter filter) {
        throw down();
    }

    @Override
    public long revision() {
        throw down();
    }

    @Override
    public List<EventChange> changesSince(long afterRevision, int limit) {
        throw down();
    }

    @Override
    public int compact(Instant now) {
        throw down();
    }

    @Override
    public EventPolicy policy() {
        return EventPolicy.defaults();
    }

    @Override
    public String describe() {
        return "down:";
    }

    @Override
    public void close() {
    }
}
