package dev.cara.sdk;

import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect 9: after a partition every silent node expired in a fenced transaction of its own, one
 * after another, on the thread that also pumped watches; so watches stood still while thousands of
 * nodes were written. Time here is a fake ticker the test advances; the only real waits are
 * deadlines for a failure.
 */
class ExpiryBatchTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private final FakeTime time = new FakeTime();
    private final List<ControlPlane> started = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        started.forEach(ControlPlane::close);
    }

    /** Counts status writes, and can hold the next one until the test releases it. */
    private final class InstrumentedStore extends ForwardingStore {
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger singles = new AtomicInteger();
        final AtomicBoolean holdNextStatusWrite = new AtomicBoolean();
        final CountDownLatch held = new CountDownLatch(1);

        InstrumentedStore() {
            super(MemoryStore.create());
        }

        @Override
        public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
            singles.incrementAndGet();
            holdIfAsked();
            return super.updateStatus(name, mutation, fence);
        }

        @Override
        public Map<String, Node> updateStatuses(Map<String, ? extends Function<Node, NodeStatus>> mutations, Fence fence) {
            batches.incrementAndGet();
            holdIfAsked();
            return super.updateStatuses(mutations, fence);
        }

        private void holdIfAsked() {
            if (holdNextStatusWrite.getAndSet(false)) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private ControlPlane controlPlane(InstrumentedStore store, boolean manualTicks) {
        ControlPlane cp = ControlPlane.builder().store(store).clock(time).ticker(time).heartbeatTimeout(TIMEOUT)
                .tickInterval(Duration.ofMillis(10)).watchInterval(Duration.ofMillis(10))
                .manualTicks(manualTicks).build().start();
        started.add(cp);
        return cp;
    }

    @Test
    void expiryAfterAPartitionWritesTenThousandSilentNodesInOneUpdateStatusesCall() {
        InstrumentedStore store = new InstrumentedStore();
        ControlPlane cp = controlPlane(store, true);
        AtomicInteger transitions = new AtomicInteger();
        int fleet = 10_000;
        for (int i = 0; i < fleet; i++) {
            cp.register(Node.builder("w" + i).build());
            cp.heartbeat("w" + i, HeartbeatReport.EMPTY);
        }
        cp.addListener(new ControlPlaneListener() {
            @Override
            public void transition(StateTransition t) {
                if (t.to() == NodeState.NOT_READY) {
                    transitions.incrementAndGet();
                }
            }
        });
        store.batches.set(0);
        store.singles.set(0);
        time.advance(TIMEOUT.plusSeconds(1));

        cp.tick();

        assertEquals(1, store.batches.get(), "one updateStatuses call for the whole expired set");
        assertEquals(0, store.singles.get(), "and no write of its own per node");
        assertEquals(Map.of(NodeState.READY, 0L, NodeState.NOT_READY, (long) fleet, NodeState.DRAINING, 0L), cp.countByState());
        assertEquals(fleet, transitions.get(), "each node's transition is still reported");
        assertEquals(ConditionStatus.TRUE, cp.get("w42").status().condition(Condition.NO_HEARTBEAT).orElseThrow().status());
    }

    @Test
    void expiryAfterAPartitionDoesNotHoldUpWatchesWhileItsBatchIsInFlight() throws InterruptedException {
        InstrumentedStore store = new InstrumentedStore();
        ControlPlane cp = controlPlane(store, false);
        cp.register(Node.builder("silent").build());
        cp.heartbeat("silent", HeartbeatReport.EMPTY);
        LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        cp.watch(LabelSelector.parse(""), events::add, reason -> { });
        assertEvent(events, WatchEvent.Type.ADDED, "silent");

        store.holdNextStatusWrite.set(true);
        time.advance(TIMEOUT.plusSeconds(1));
        assertTrue(store.held.await(30, TimeUnit.SECONDS), "the background tick started expiring the silent node");

        cp.register(Node.builder("newcomer").build());
        assertEvent(events, WatchEvent.Type.ADDED, "newcomer");
        release.countDown();
        assertEvent(events, WatchEvent.Type.MODIFIED, "silent");
    }

    private static void assertEvent(LinkedBlockingQueue<WatchEvent> events, WatchEvent.Type type, String name) throws InterruptedException {
        WatchEvent e = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(e, "no " + type + " event for " + name + " within the deadline");
        assertEquals(type + " " + name, e.type() + " " + e.object().name());
    }
}
