package dev.cara.store.mapdb;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the MapDB store adds to the storage contract: the file's life (create, reopen, lock, damage,
 * format version), grouped status writes, and revisions that keep growing across reopens.
 */
class MapDbStoreFilesTest {
    @TempDir
    Path dir;

    private MapDbStore open(Path file) {
        return MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).shutdownHook(false).open();
    }

    private static Node node(String name) {
        return Node.builder(name).hostname(name + ".lan").label("zone", "a").build();
    }

    private static NodeStatus beat(Node current, int i) {
        return current.status().withLastHeartbeat(Instant.ofEpochSecond(1_700_000_000L + i));
    }

    @Test
    void whatWasWrittenIsThereAfterAReopen() {
        Path file = dir.resolve("data/cara.db");
        Node stored;
        try (MapDbStore store = open(file)) {
            store.create(node("a"));
            store.create(node("b"));
            stored = store.update("a", null, n -> n.withSpec(n.spec().withUnschedulable(true)));
            store.delete("b", null);
            store.updateStatus("a", n -> beat(n, 1), Fence.NONE);
            stored = store.get("a").orElseThrow();
        }
        try (MapDbStore store = open(file)) {
            assertEquals(List.of(stored), store.list().nodes());
        }
    }

    @Test
    void revisionsKeepGrowingAcrossReopensAndResourceVersionsAreNeverReused() {
        Path file = dir.resolve("cara.db");
        long before;
        String firstVersion;
        try (MapDbStore store = open(file)) {
            firstVersion = store.create(node("a")).metadata().resourceVersion();
            store.delete("a", null);
            before = store.revision();
        }
        try (MapDbStore store = open(file)) {
            assertEquals(before, store.revision(), "a clean close records the exact revision");
            String again = store.create(node("a")).metadata().resourceVersion();
            assertTrue(Long.parseLong(again) > Long.parseLong(firstVersion));
            assertTrue(store.revision() > before);
        }
    }

    @Test
    void historyBeforeTheOpenIsGoneButTheCurrentRevisionCanBeFollowed() {
        Path file = dir.resolve("cara.db");
        try (MapDbStore store = open(file)) {
            store.create(node("a"));
            store.create(node("b"));
        }
        try (MapDbStore store = open(file)) {
            long opened = store.revision();
            assertThrows(HistoryGoneException.class, () -> store.changesSince(0, 10));
            assertEquals(List.of(), store.changesSince(opened, 10));
            store.create(node("c"));
            assertEquals("c", store.changesSince(opened, 10).get(0).node().name());
        }
    }

    @Test
    void statusWritesWaitForAFlushOrACount() {
        Path file = dir.resolve("cara.db");
        try (MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO)
                .statusFlushCount(3).shutdownHook(false).open()) {
            for (String name : List.of("a", "b", "c")) {
                store.create(node(name));
            }
            store.updateStatus("a", n -> beat(n, 1), Fence.NONE);
            store.updateStatus("a", n -> beat(n, 2), Fence.NONE);
            store.updateStatus("b", n -> beat(n, 3), Fence.NONE);
            assertEquals(2, store.pendingStatusWrites(), "two nodes have pending heartbeats");
            store.updateStatus("c", n -> beat(n, 4), Fence.NONE);
            assertEquals(0, store.pendingStatusWrites(), "the third dirty node triggers a commit");
            store.updateStatus("a", n -> beat(n, 5), Fence.NONE);
            store.flush();
            assertEquals(0, store.pendingStatusWrites());
        }
    }

    /**
     * The status mutation runs without the store's lock: a spec write that lands between its read and
     * its publication must not be overwritten. The store runs the mutation again on the new node, and
     * both writes are kept, in the heap and in the file.
     */
    @Test
    void aSpecWriteDuringAStatusMutationIsKeptAndTheMutationRunsAgain() {
        Path file = dir.resolve("cara.db");
        Node beaten;
        try (MapDbStore store = open(file)) {
            store.create(node("a"));
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            beaten = store.updateStatus("a", n -> {
                if (calls.incrementAndGet() == 1) {
                    // Another thread's spec write, landing while this mutation runs.
                    store.update("a", null, current -> current.withMetadata(current.metadata()
                            .withLabels(java.util.Map.of("zone", "b"))));
                }
                return beat(n, 7);
            }, Fence.NONE);
            assertEquals(2, calls.get(), "the mutation ran again on the node the spec write left");
            assertEquals("b", beaten.metadata().labels().get("zone"));
            assertEquals(Instant.ofEpochSecond(1_700_000_007L), beaten.status().lastHeartbeat());
            assertEquals(beaten, store.get("a").orElseThrow());
        }
        try (MapDbStore again = open(file)) {
            assertEquals(beaten, again.get("a").orElseThrow());
        }
    }

    @Test
    void aStatusWriteOnANodeDeletedMeanwhileFailsWithNotFound() {
        try (MapDbStore store = open(dir.resolve("cara.db"))) {
            store.create(node("a"));
            assertThrows(dev.cara.sdk.NotFoundException.class, () -> store.updateStatus("a", n -> {
                store.get("a").ifPresent(x -> store.delete("a", null));
                return beat(n, 1);
            }, Fence.NONE));
            assertEquals(0, store.pendingStatusWrites());
            assertTrue(store.get("a").isEmpty());
        }
    }

    @Test
    void aStatusMutationThatChangesNothingWritesNothing() {
        try (MapDbStore store = open(dir.resolve("cara.db"))) {
            store.create(node("a"));
            long revision = store.revision();
            store.updateStatus("a", Node::status, Fence.NONE);
            assertEquals(revision, store.revision());
            assertEquals(0, store.pendingStatusWrites());
        }
    }

    @Test
    void aSecondOpenOfTheSameFileSaysItIsInUse() {
        Path file = dir.resolve("cara.db");
        try (MapDbStore store = open(file)) {
            store.create(node("a"));
            MapDbStoreException.InUse e = assertThrows(MapDbStoreException.InUse.class, () -> open(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertEquals(1, store.list().nodes().size(), "the first store is unaffected");
        }
        try (MapDbStore store = open(file)) {
            assertEquals(1, store.list().nodes().size(), "the lock is released on close");
        }
    }

    @Test
    void aFileThatIsNotAStoreIsReportedAndLeftUntouched() throws IOException {
        byte[] garbage = new byte[3000];
        new Random(7).nextBytes(garbage);
        assertRefusedUntouched(garbage);
    }

    @Test
    void anEmptyFileIsReportedAndLeftUntouched() throws IOException {
        assertRefusedUntouched(new byte[0]);
    }

    @Test
    void aTruncatedStoreIsReportedAndLeftUntouched() throws IOException {
        Path good = dir.resolve("good.db");
        try (MapDbStore store = open(good)) {
            store.create(node("a"));
        }
        byte[] bytes = Files.readAllBytes(good);
        assertRefusedUntouched(java.util.Arrays.copyOf(bytes, 4096));
    }

    private void assertRefusedUntouched(byte[] content) throws IOException {
        Path file = dir.resolve("bad.db");
        Files.write(file, content);
        MapDbStoreException.Damaged e = assertThrows(MapDbStoreException.Damaged.class, () -> open(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("move it aside"), e.getMessage());
        assertArrayEquals(content, Files.readAllBytes(file), "the file must not be modified");
        // The lock was released: a retry fails the same way, not with "in use".
        assertThrows(MapDbStoreException.Damaged.class, () -> open(file));
    }

    @Test
    void aMapDbFileOfSomeoneElseIsNotTakenForAStore() {
        Path file = dir.resolve("other.db");
        try (DB db = DBMaker.fileDB(file.toFile()).transactionEnable().make()) {
            db.hashMap("things").createOrOpen();
            db.commit();
        }
        MapDbStoreException.Damaged e = assertThrows(MapDbStoreException.Damaged.class, () -> open(file));
        assertTrue(e.getMessage().contains("not a cara store"), e.getMessage());
    }

    @Test
    void aNewerFormatIsRefusedWithItsVersion() {
        Path file = dir.resolve("cara.db");
        open(file).close();
        try (DB db = DBMaker.fileDB(file.toFile()).transactionEnable().make()) {
            db.atomicInteger(MapDbFiles.Entry.FORMAT.key).open().set(MapDbFiles.FORMAT_VERSION + 1);
            db.commit();
        }
        MapDbStoreException.NewerFormat e = assertThrows(MapDbStoreException.NewerFormat.class, () -> open(file));
        assertTrue(e.getMessage().contains("format version " + (MapDbFiles.FORMAT_VERSION + 1)), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aDamagedNodeRecordIsReportedByName() {
        Path file = dir.resolve("cara.db");
        open(file).close();
        try (DB db = DBMaker.fileDB(file.toFile()).transactionEnable().make()) {
            db.hashMap(MapDbFiles.Entry.NODES.key, org.mapdb.Serializer.STRING, org.mapdb.Serializer.BYTE_ARRAY).open()
                    .put("broken", new byte[] {1, 5, 'c', 'a'});
            db.commit();
        }
        MapDbStoreException.Damaged e = assertThrows(MapDbStoreException.Damaged.class, () -> open(file));
        assertTrue(e.getMessage().contains("\"broken\""), e.getMessage());
    }

    @Test
    void theProviderOpensMapDbUrls() {
        Path file = dir.resolve("via-url/cara.db");
        try (NodeStore store = StoreProvider.openUrl("mapdb:" + file)) {
            assertEquals("mapdb:" + file, store.describe());
            store.create(node("a"));
        }
        assertTrue(Files.exists(file));
        assertEquals(Path.of("/var/lib/cara.db"), MapDbStoreProvider.path("mapdb:///var/lib/cara.db"));
        assertEquals(Path.of("./cara-data/cara.db"), MapDbStoreProvider.path("mapdb:./cara-data/cara.db"));
        assertThrows(InvalidException.class, () -> MapDbStoreProvider.path("mapdb:"));
        assertThrows(InvalidException.class, () -> MapDbStoreProvider.path("mapdb:./data/"));
    }

    @Test
    void closeFlushesPendingHeartbeatsAndIsIdempotent() {
        Path file = dir.resolve("cara.db");
        MapDbStore store = open(file);
        store.create(node("a"));
        Node beaten = store.updateStatus("a", n -> beat(n, 9), Fence.NONE);
        assertFalse(store.pendingStatusWrites() == 0);
        store.close();
        store.close();
        assertThrows(IllegalStateException.class, () -> store.get("a"));
        try (MapDbStore again = open(file)) {
            assertEquals(beaten, again.get("a").orElseThrow());
            assertEquals(NodeState.NOT_READY, again.get("a").orElseThrow().state());
        }
    }

    @Test
    void builderSettingsAreCheckedAndSetOnce() {
        assertThrows(IllegalStateException.class, () -> MapDbStore.builder().open());
        assertThrows(IllegalStateException.class, () -> MapDbStore.builder().history(5).history(6));
        assertThrows(IllegalArgumentException.class, () -> MapDbStore.builder().statusFlushCount(0));
        assertThrows(IllegalArgumentException.class, () -> MapDbStore.builder().statusFlushInterval(Duration.ofMillis(-1)));
    }
}
