package dev.cara.sdk.spi;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.testkit.NodeStoreContract;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory store runs the whole storage contract, plus what only it does (bounded history, its URL). */
class MemoryStoreTest extends NodeStoreContract {

    @Override
    protected NodeStore newStore() {
        return MemoryStore.create();
    }

    @Test
    void itsEventHistoryTakesARetentionPolicyUntilTheFirstEvent() {
        MemoryStore store = MemoryStore.create();
        dev.cara.sdk.EventPolicy policy = dev.cara.sdk.EventPolicy.builder().maxCount(10).build();
        EventStore events = store.events(policy);
        assertEquals(policy, events.policy());
        assertTrue(events == store.events(), "one history for every caller");
        events.record(dev.cara.sdk.Event.builder().normal().reason("Registered").message("registered").node("w1")
                .at(Instant.parse("2026-01-01T00:00:00Z")).build());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> store.events(dev.cara.sdk.EventPolicy.defaults()));
        assertTrue(e.getMessage().contains("before the first event"), e.getMessage());
        assertTrue(events == store.events(policy), "the same policy again is the same history");
    }

    @Test
    void changesOlderThanTheHistoryAreGoneWithTheOldestRevisionStillKept() {
        try (MemoryStore small = MemoryStore.withHistory(3)) {
            for (int i = 0; i < 5; i++) {
                small.create(Node.builder("web-" + i).build());
            }
            assertEquals(5, small.revision());
            // Revisions 3, 4 and 5 are kept: following from 2 still works, from 1 does not.
            assertEquals(List.of(3L, 4L, 5L), small.changesSince(2, 10).stream().map(Change::revision).toList());
            HistoryGoneException gone = assertThrows(HistoryGoneException.class, () -> small.changesSince(1, 10));
            assertEquals(3, gone.oldestAvailable(), "the oldest revision still kept");
            assertTrue(gone.getMessage().contains("list again"), "the message says how to recover: " + gone.getMessage());
            assertThrows(HistoryGoneException.class, () -> small.changesSince(0, 10));
            assertEquals(List.of(), small.changesSince(5, 10), "the latest revision is always followable");
        }
    }

    @Test
    void aRevisionTheStoreNeverReachedIsGoneNotSilentlyEmpty() {
        try (MemoryStore store = MemoryStore.create()) {
            store.create(Node.builder("web-1").build());
            // A watcher that followed a store before a restart asks for revision 500 of this new one.
            HistoryGoneException gone = assertThrows(HistoryGoneException.class, () -> store.changesSince(500, 10));
            assertEquals(1, gone.oldestAvailable());
            assertEquals(List.of(), store.changesSince(1, 10));
        }
    }

    /**
     * Status mutations run without the lock: a spec write that lands between a heartbeat's read and
     * its publication is kept, and the heartbeat's mutation runs again on the node it left.
     */
    @Test
    void aSpecWriteDuringAStatusMutationIsKeptAndTheMutationRunsAgain() {
        try (MemoryStore store = MemoryStore.create()) {
            store.create(Node.builder("web-1").build());
            AtomicInteger runs = new AtomicInteger();
            Instant beat = Instant.parse("2026-01-01T00:00:07Z");
            Node stored = store.updateStatus("web-1", n -> {
                if (runs.incrementAndGet() == 1) {
                    // Another writer's spec write, landing while this mutation runs.
                    store.update("web-1", null, c -> c.withMetadata(c.metadata().withLabels(Map.of("zone", "b"))));
                }
                return n.status().withLastHeartbeat(beat);
            }, Fence.NONE);
            assertEquals(2, runs.get(), "the mutation ran again on the node the spec write left");
            assertEquals("b", stored.metadata().labels().get("zone"));
            assertEquals(beat, stored.status().lastHeartbeat());
            assertEquals(stored, store.get("web-1").orElseThrow());
            assertEquals(3, store.revision(), "create, the spec write and the status write");
        }
    }

    @Test
    void aStatusWriteOnANodeDeletedDuringItsMutationIsNotFound() {
        try (MemoryStore store = MemoryStore.create()) {
            store.create(Node.builder("web-1").build());
            assertThrows(NotFoundException.class, () -> store.updateStatus("web-1", n -> {
                store.get("web-1").ifPresent(x -> store.delete("web-1", null));
                return n.status().withLastHeartbeat(Instant.EPOCH);
            }, Fence.NONE));
            assertTrue(store.get("web-1").isEmpty());
        }
    }

    @Test
    void historyMustHoldAtLeastOneChange() {
        assertThrows(IllegalArgumentException.class, () -> MemoryStore.withHistory(0));
    }

    @Test
    void memoryUrlOpensAFreshStoreEachTime() {
        try (NodeStore first = StoreProvider.openUrl("memory:"); NodeStore second = StoreProvider.openUrl("memory:")) {
            assertInstanceOf(MemoryStore.class, first);
            first.create(Node.builder("web-1").build());
            assertEquals(List.of(), second.list().nodes(), "each memory: store is separate");
            assertEquals("memory:", first.describe());
        }
    }

    @Test
    void memoryUrlWithOptionsIsRefused() {
        InvalidException e = assertThrows(InvalidException.class, () -> StoreProvider.openUrl("memory:size=10"));
        assertTrue(e.getMessage().contains("memory:size=10"), "the error names the URL: " + e.getMessage());
    }

    @Test
    void unknownSchemeNamesTheUrlAndTheKnownSchemes() {
        InvalidException e = assertThrows(InvalidException.class, () -> StoreProvider.openUrl("nosuch:/data"));
        assertEquals("store", e.field());
        assertTrue(e.getMessage().contains("nosuch:/data"), "the error names the URL: " + e.getMessage());
        assertTrue(e.getMessage().contains("memory:"), "the error lists the known schemes: " + e.getMessage());
    }

    @Test
    void urlWithoutSchemeIsRefused() {
        InvalidException e = assertThrows(InvalidException.class, () -> StoreProvider.openUrl("just-a-path"));
        assertTrue(e.getMessage().contains("just-a-path"), e.getMessage());
    }
}
