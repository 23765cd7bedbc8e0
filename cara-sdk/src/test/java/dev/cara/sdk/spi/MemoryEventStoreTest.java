package dev.cara.sdk.spi;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.InvolvedObject;
import dev.cara.sdk.testkit.EventStoreContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

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

    @Test
    void aListAboutOneObjectFindsItsEventsBehindOthersAndNoneOnceDropped() {
        try (MemoryEventStore events = MemoryEventStore.create(EventPolicy.builder().maxCount(5).maxAge(Duration.ofHours(1)).build())) {
            EventFilter aboutOld = EventFilter.about(InvolvedObject.node("old"));
            events.record(event("old", "first", 0));
            events.record(event("old", "first", 1)); // a fold: still one event of "old"
            for (int i = 0; i < 3; i++) {
                events.record(notReady("web-" + i, 2 + i));
            }
            assertEquals(List.of("first"), events.list(aboutOld).events().stream().map(Event::message).toList());
            assertEquals(2, events.list(aboutOld).events().getFirst().count());
            assertEquals(List.of(), events.list(EventFilter.about(InvolvedObject.node("never"))).events());
            events.record(notReady("web-3", 5));
            events.record(notReady("web-4", 6)); // retention by count drops "old"'s event
            assertEquals(List.of(), events.list(aboutOld).events());
            events.record(event("old", "back", 7));
            assertEquals(List.of("back"), events.list(aboutOld).events().stream().map(Event::message).toList());
        }
    }
}
