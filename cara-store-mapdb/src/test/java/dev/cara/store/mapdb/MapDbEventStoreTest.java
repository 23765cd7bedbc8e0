package dev.cara.store.mapdb;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.MemoryEventStore;
import dev.cara.sdk.testkit.EventStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event contract on the events of a MapDB store, plus what the file adds: events written with
 * the status flush survive a reopen (order, folds, names and the revision), and the file never holds
 * more than retention allows.
 */
class MapDbEventStoreTest extends EventStoreContract {
    @TempDir
    Path dir;

    private final AtomicInteger files = new AtomicInteger();
    // Owned by the JUnit thread: every MapDB store this test opened, closed afterwards.
    private final List<MapDbStore> opened = new ArrayList<>();

    @Override
    protected EventStore newStore(EventPolicy policy) {
        return open(dir.resolve("store-" + files.incrementAndGet() + ".db"), policy).events();
    }

    private MapDbStore open(Path file, EventPolicy policy) {
        // A zero flush interval: events reach the file on flush() and close, not on a timer.
        MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).events(policy)
                .shutdownHook(false).open();
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(MapDbStore::close);
    }

    /** A store on {@code file} with {@code count} NotReady events recorded, about web-0, web-1, ... */
    private MapDbStore recorded(Path file, EventPolicy policy, int count) {
        MapDbStore store = open(file, policy);
        for (int i = 0; i < count; i++) {
            store.events().record(notReady("web-" + i, i));
        }
        return store;
    }

    private static EventPolicy policy(int maxCount) {
        return EventPolicy.builder().foldWindow(WINDOW).maxCount(maxCount).maxAge(Duration.ofHours(1)).build();
    }

    @Test
    void eventsSurviveAReopenInOrderWithTheirFoldsAndTheRevisionContinues() {
        Path file = dir.resolve("events.db");
        MapDbStore store = open(file, policy(100));
        store.events().record(notReady("web-1", 0));
        store.events().record(notReady("web-2", 1));
        Event folded = store.events().record(notReady("web-1", 2));
        List<Event> before = store.events().list(EventFilter.all()).events();
        long revision = store.events().revision();
        store.close();

        MapDbStore again = open(file, policy(100));
        assertEquals(before, again.events().list(EventFilter.all()).events(), "every event as it was, in write order");
        assertEquals(revision, again.events().revision());
        Event third = again.events().record(notReady("web-1", 3));
        assertEquals(folded.name(), third.name(), "the latest record of a key still takes its folds after a reopen");
        assertEquals(3, third.count());
        assertTrue(Long.parseLong(third.metadata().resourceVersion()) > revision, "revisions are not reused");
    }

    @Test
    void theFileHoldsNoMoreThanRetentionAllowsAfterAFlush() {
        Path file = dir.resolve("bounded.db");
        MapDbStore store = recorded(file, policy(5), 50);
        store.flush();
        assertEquals(5, ((MemoryEventStore) store.events()).size());
        store.close();
        try (DB db = DBMaker.fileDB(file.toFile()).readOnly().fileChannelEnable().fileLockDisable().make()) {
            assertEquals(5, db.hashMap(MapDbFiles.Entry.EVENTS.key).open().size(), "dropped events are removed from the file");
        }
    }

    @Test
    void aSmallerPolicyAtOpenDropsTheSurplus() {
        Path file = dir.resolve("shrunk.db");
        recorded(file, policy(10), 10).close();
        MapDbStore again = open(file, policy(3));
        assertEquals(List.of("web-7", "web-8", "web-9"), again.events().list(EventFilter.all()).events().stream()
                .map(e -> e.involvedObject().name()).toList());
    }
}
