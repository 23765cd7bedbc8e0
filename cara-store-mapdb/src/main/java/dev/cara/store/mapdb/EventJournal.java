package dev.cara.store.mapdb;

import dev.cara.sdk.Event;
import dev.cara.sdk.spi.MemoryEventStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event writes not yet in the file: what the {@link MemoryEventStore} under
 * {@link MapDbStore#events()} heard since the last status flush, by event name (a record to put, or
 * null for a retention drop), and the latest event revision. The status flush takes it and writes it
 * in its own commit, so events cost no commit of their own: a crash loses at most the events of the
 * last flush window, which the SPI allows.
 *
 * <p><b>Threads.</b> The event store calls {@link Journal} methods with its lock held; the flush takes
 * the batch holding the group-commit lock. This object's monitor guards {@code pending} and
 * {@code revision}, and is held only for a map operation, never while calling out.
 */
final class EventJournal implements MemoryEventStore.Journal {
    /** What one flush writes: records to put, names to remove, and the event revision to record. */
    record Batch(Map<String, byte[]> puts, List<String> removals, long revision) {
        /** No event writes: what a spec-write batch's commit carries. */
        static final Batch NONE = new Batch(Map.of(), List.of(), 0);

        boolean isEmpty() {
            return puts.isEmpty() && removals.isEmpty();
        }
    }

    // Guarded by this. A null value is a drop.
    private LinkedHashMap<String, Event> pending = new LinkedHashMap<>();
    private long revision;

    EventJournal(long revision) {
        this.revision = revision;
    }

    @Override
    public synchronized void written(Event stored) {
        pending.put(stored.name(), stored);
        revision = Math.max(revision, Long.parseLong(stored.metadata().resourceVersion()));
    }

    @Override
    public synchronized void dropped(Event event) {
        pending.put(event.name(), null);
    }

    /** Takes what is pending, serialized (outside the monitor); {@link #restore} puts it back if its commit fails. */
    Batch take() {
        Map<String, Event> taken;
        long rev;
        synchronized (this) {
            taken = pending;
            rev = revision;
            pending = new LinkedHashMap<>();
        }
        Map<String, byte[]> puts = new HashMap<>();
        List<String> removals = new ArrayList<>();
        RecordWriter writer = EventRecords.writer();
        taken.forEach((name, e) -> {
            if (e == null) {
                removals.add(name);
            } else {
                puts.put(name, EventRecords.write(writer, e));
            }
        });
        return new Batch(puts, removals, rev);
    }

    /**
     * Puts back a batch whose commit failed, under whatever was written since (newer wins). The
     * records are read back from their bytes: a failed commit is rare, and the batch keeps no events.
     */
    synchronized void restore(Batch batch) {
        LinkedHashMap<String, Event> merged = new LinkedHashMap<>();
        batch.removals().forEach(name -> merged.put(name, null));
        batch.puts().forEach((name, bytes) -> merged.put(name, EventRecords.read(bytes)));
        merged.putAll(pending);
        pending = merged;
    }
}
