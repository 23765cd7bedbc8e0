package com.example.jsondir;

import dev.cara.sdk.CaraJson;
import dev.cara.sdk.Event;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.MemoryEventStore;

import java.util.Comparator;
import java.util.List;

/**
 * The events of a {@link JsonDirStore}: {@code DIR/events/NAME.json} each, the {@link Event} as
 * JSON-B writes a record ({@link CaraJson#jsonb()}).
 *
 * <p>Folding, retention and the feed are not written again here: the SDK's {@link MemoryEventStore}
 * does them, restored from the files at open ({@link #open}), and as its {@link MemoryEventStore.Journal}
 * this class hears what to write (a recorded or folded event) and what to delete (an event retention
 * dropped), so the directory never holds more than the policy keeps. The memory store calls the
 * journal under its lock, in order, so the files follow the writes exactly. Events may be lost in a
 * crash (the SPI allows it), but this example writes each at once anyway: simple first.
 */
final class JsonDirEvents implements MemoryEventStore.Journal {
    private final JsonFiles files;

    private JsonDirEvents(JsonFiles files) {
        this.files = files;
    }

    /** The event store kept in {@code files}, folding and keeping events by {@code policy}. */
    static MemoryEventStore open(JsonFiles files, EventPolicy policy, String description) {
        List<Event> stored = files.readAll().stream().map(json -> CaraJson.jsonb().fromJson(json, Event.class))
                .sorted(Comparator.comparingLong(JsonDirEvents::revisionOf)).toList(); // in the order of their last write
        // Continue after the newest event kept: a revision is never handed out twice to a kept event.
        long revision = stored.isEmpty() ? 0 : revisionOf(stored.get(stored.size() - 1));
        return MemoryEventStore.restore(policy, revision, stored, new JsonDirEvents(files), description);
    }

    private static long revisionOf(Event e) {
        return Long.parseLong(e.metadata().resourceVersion());
    }

    @Override
    public void written(Event stored) {
        files.write(stored.name() + ".json", CaraJson.jsonb().toJson(stored));
    }

    @Override
    public void dropped(Event event) {
        files.delete(event.name() + ".json");
    }
}
