package com.example.jsondir;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.EventChange;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.MemoryEventStore;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The events of a {@link JsonDirStore}: {@code DIR/events/NAME.json} each, the {@link Event} as
 * JSON-B writes a record ({@link CaraJson#jsonb()}).
 *
 * <p>Folding, retention and the feed are not written again here: the SDK's {@link MemoryEventStore}
 * does them, restored from the files at open, and its {@link MemoryEventStore.Journal} tells this
 * class what to write (a recorded or folded event) and what to delete (an event retention dropped),
 * so the directory never holds more than the policy keeps. The journal is called under the memory
 * store's lock, in order, so the files follow the writes exactly. Events may be lost in a crash (the
 * SPI allows it), but this example writes each at once anyway: simple first.
 */
final class JsonDirEvents implements EventStore, MemoryEventStore.Journal {
    private final JsonFiles files;
    private final String description;
    private final MemoryEventStore heap;

    JsonDirEvents(JsonFiles files, EventPolicy policy, String description) {
        this.files = files;
        this.description = description;
        List<Event> stored = files.readAll().stream().map(json -> CaraJson.jsonb().fromJson(json, Event.class))
                .sorted(Comparator.comparingLong(JsonDirEvents::revisionOf)).toList();
        // Event names end in their first revision, and a fold never goes past the latest one kept.
        long revision = stored.isEmpty() ? 0 : revisionOf(stored.get(stored.size() - 1));
        this.heap = MemoryEventStore.restore(policy, revision, stored, this);
    }

    private static long revisionOf(Event e) {
        return Long.parseLong(e.metadata().resourceVersion());
    }

    // ---------------------------------------------------------------- the journal: keep the files in step

    @Override
    public void written(Event stored) {
        files.write(stored.name() + ".json", CaraJson.jsonb().toJson(stored));
    }

    @Override
    public void dropped(Event event) {
        files.delete(event.name() + ".json");
    }

    // ---------------------------------------------------------------- EventStore: the memory store's

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

    @Override
    public void close() {
        heap.close();
    }
}
