package dev.cara.store.mapdb;

import dev.cara.sdk.Node;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Fence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Status flushes write each node into a record of its own, in place ({@link StatusRecords}): a
 * reopen reads the newest of that record and the node's spec-write record, whichever order the
 * heartbeats, spec writes and deletes came in, and a failed commit leaves no record id behind.
 */
class MapDbStatusRecordsTest {
    private static final Instant T = Instant.parse("2026-12-04T01:00:00Z");

    @TempDir
    Path dir;

    private MapDbStore open(Path file, AtomicLong free) {
        return MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).shutdownHook(false)
                .freeSpace(free::get).open();
    }

    private MapDbStore open(Path file) {
        return open(file, new AtomicLong(Long.MAX_VALUE));
    }

    private static void create(MapDbStore store, String... names) {
        for (String name : names) {
            store.create(Node.builder(name).build());
        }
    }

    private static void beat(MapDbStore store, String name, int second) {
        store.updateStatus(name, n -> n.status().withLastHeartbeat(T.plusSeconds(second)), Fence.NONE);
    }

    /** The names of the nodes with a status record, read from the closed file itself. */
    private static Set<String> statusRecordNames(Path file) {
        try (DB db = DBMaker.fileDB(file.toFile()).transactionEnable().make()) {
            return Set.copyOf(MapDbFiles.Entry.STATUS_RECORDS.ids(db).keySet());
        }
    }

    @Test
    void eachFlushRewritesTheNodesStatusRecordAndAReopenReadsTheNewest() {
        Path file = dir.resolve("cara.db");
        try (MapDbStore store = open(file)) {
            create(store, "a", "b");
            for (int i = 1; i <= 3; i++) {
                beat(store, "a", i);
                beat(store, "b", 10 + i);
                store.flush();
            }
            beat(store, "a", 4); // committed by the close
        }
        assertEquals(Set.of("a", "b"), statusRecordNames(file));
        try (MapDbStore again = open(file)) {
            assertEquals(T.plusSeconds(4), again.get("a").orElseThrow().status().lastHeartbeat());
            assertEquals(T.plusSeconds(13), again.get("b").orElseThrow().status().lastHeartbeat());
        }
    }

    @Test
    void aSpecWriteOrDeleteAfterFlushesWinsOverTheStatusRecordItDrops() {
        Path file = dir.resolve("cara.db");
        try (MapDbStore store = open(file)) {
            create(store, "edited", "deleted", "again");
            for (String name : List.of("edited", "deleted", "again")) {
                beat(store, name, 1);
            }
            store.flush();
            store.update("edited", null, n -> n.withMetadata(n.metadata().withLabels(java.util.Map.of("zone", "a"))), Fence.NONE);
            store.delete("deleted", null);
            store.delete("again", null);
            store.create(Node.builder("again").hostname("second.lan").build());
        }
        assertEquals(Set.of(), statusRecordNames(file), "each spec write or delete dropped the node's status record");
        try (MapDbStore reopened = open(file)) {
            Node edited = reopened.get("edited").orElseThrow();
            assertEquals("a", edited.metadata().labels().get("zone"));
            assertEquals(T.plusSeconds(1), edited.status().lastHeartbeat(), "the spec write carried the latest status");
            assertTrue(reopened.get("deleted").isEmpty());
            Node again = reopened.get("again").orElseThrow();
            assertEquals("second.lan", again.spec().hostname());
            assertEquals(null, again.status().lastHeartbeat(), "the new node, not the old one's status");

            beat(reopened, "edited", 2);
            reopened.flush();
        }
        try (MapDbStore third = open(file)) {
            Node edited = third.get("edited").orElseThrow();
            assertEquals(T.plusSeconds(2), edited.status().lastHeartbeat());
            assertEquals("a", edited.metadata().labels().get("zone"), "the status record carries the whole node");
        }
    }

    @Test
    void aFailedFlushLeavesNoRecordIdAndTheNextOneWritesTheNodeAfresh() {
        Path file = dir.resolve("cara.db");
        AtomicLong free = new AtomicLong(Long.MAX_VALUE);
        try (MapDbStore store = open(file, free)) {
            store.create(Node.builder("a").build());
            beat(store, "a", 1);
            free.set(DiskThread.MARGIN - 1);
            assertThrows(UnavailableException.class, store::flush);
            free.set(Long.MAX_VALUE);
            beat(store, "a", 2);
            store.flush();
            beat(store, "a", 3);
            store.flush();
        }
        assertEquals(Set.of("a"), statusRecordNames(file));
        try (MapDbStore again = open(file)) {
            assertEquals(List.of("a"), again.list().nodes().stream().map(Node::name).toList());
            assertEquals(T.plusSeconds(3), again.get("a").orElseThrow().status().lastHeartbeat());
        }
    }
}
