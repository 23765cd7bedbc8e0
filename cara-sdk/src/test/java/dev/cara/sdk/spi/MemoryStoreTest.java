package dev.cara.sdk.spi;

import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Node;
import dev.cara.sdk.testkit.NodeStoreContract;
import org.junit.jupiter.api.Test;

import java.util.List;

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
