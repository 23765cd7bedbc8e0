package dev.cara.sdk.spi;

import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.testkit.EventStoreContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The in-memory event store runs the whole event contract, plus its hand-out by MemoryStore. */
class MemoryEventStoreTest extends EventStoreContract {

    @Override
    protected EventStore newStore(EventPolicy policy) {
        return MemoryEventStore.create(policy);
    }

    @Test
    void memoryStoreHandsOutItsOwnEventStore() {
        try (MemoryStore nodes = MemoryStore.create()) {
            EventStore events = nodes.events();
            assertSame(events, nodes.events(), "one event history per store");
            assertEquals(EventPolicy.defaults(), events.policy());
            events.record(notReady("web-1", 0));
            assertEquals(1, events.revision());
            assertEquals(0, MemoryStore.create().events().revision(), "another store has its own history");
        }
    }

    @Test
    void aStoreWithoutEventsSaysSo() {
        // Node calls forwarded, events() left to the SPI's default.
        NodeStore bare = new dev.cara.sdk.ForwardingStore(MemoryStore.create()) {
            @Override
            public String describe() {
                return "memory:";
            }
        };
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, bare::events);
        assertEquals("memory: keeps no events", e.getMessage());
    }

    @Test
    void theFeedKeepsAsManyChangesAsTheStoreKeepsEvents() {
        try (MemoryEventStore small = MemoryEventStore.create(EventPolicy.builder().maxCount(2).maxAge(Duration.ofHours(1)).build())) {
            for (int i = 0; i < 4; i++) {
                small.record(notReady("web-" + i, i));
            }
            assertEquals(2, small.size());
            assertEquals(2, small.changesSince(2, 10).size());
            assertThrows(HistoryGoneException.class, () -> small.changesSince(1, 10));
        }
    }
}
