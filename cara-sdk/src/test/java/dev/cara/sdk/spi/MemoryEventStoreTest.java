package dev.cara.sdk.spi;

import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.testkit.EventStoreContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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
        NodeStore bare = new WithoutEvents(MemoryStore.create());
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

    /** A store that keeps no events: the SPI's default events(). */
    private record WithoutEvents(NodeStore nodes) implements NodeStore {
        @Override
        public Node create(Node node) {
            return nodes.create(node);
        }

        @Override
        public Optional<Node> get(String name) {
            return nodes.get(name);
        }

        @Override
        public Snapshot list() {
            return nodes.list();
        }

        @Override
        public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
            return nodes.update(name, expectedResourceVersion, mutation, fence);
        }

        @Override
        public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
            return nodes.updateStatus(name, mutation, fence);
        }

        @Override
        public Node delete(String name, String expectedResourceVersion) {
            return nodes.delete(name, expectedResourceVersion);
        }

        @Override
        public long revision() {
            return nodes.revision();
        }

        @Override
        public List<Change> changesSince(long afterRevision, int limit) {
            return nodes.changesSince(afterRevision, limit);
        }

        @Override
        public void checkHealth() {
            nodes.checkHealth();
        }

        @Override
        public String describe() {
            return nodes.describe();
        }

        @Override
        public void close() {
            nodes.close();
        }
    }
}
