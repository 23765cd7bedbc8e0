package dev.cara.sdk;

import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.spi.NodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Defect 5: {@code WatchHub.open} read the store inside the hub's lock, and a closing watch's
 * {@code onClose} ran under it, so one slow store read or one blocking callback stalled every watch.
 * Each test blocks one of them on a latch and checks that everything else goes on; the bounded
 * waits here are deadlines for a failure, not waits for time to pass.
 */
class WatchHubTest {
    private static final long DEADLINE_SECONDS = 10;
    private final MemoryStore inner = MemoryStore.create();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void releaseEverything() {
        release.countDown();
        threads.shutdownNow();
    }

    @Test
    void watchHubOpenDoesNoStoreReadUnderItsLockASlowListStallsNoOtherWatch() throws Exception {
        AtomicBoolean blockNextList = new AtomicBoolean();
        CountDownLatch listBlocked = new CountDownLatch(1);
        NodeStore store = new ForwardingStore(inner) {
            @Override
            public Snapshot list() {
                if (blockNextList.getAndSet(false)) {
                    listBlocked.countDown();
                    awaitRelease();
                }
                return super.list();
            }
        };
        WatchHub<Node, WatchEvent> hub = WatchHub.nodes(store);
        inner.create(Node.builder("a").build());
        LinkedBlockingQueue<WatchEvent> first = new LinkedBlockingQueue<>();
        hub.open(LabelSelector.parse("")::matches, first::add, reason -> { });
        assertEvent(first, WatchEvent.Type.ADDED, "a");

        blockNextList.set(true);
        Future<Watch> slowOpen = threads.submit(() -> hub.open(LabelSelector.parse("")::matches, e -> { }, reason -> { }));
        assertTrue(listBlocked.await(DEADLINE_SECONDS, TimeUnit.SECONDS), "the slow open reached the store");

        LinkedBlockingQueue<WatchEvent> second = new LinkedBlockingQueue<>();
        threads.submit(() -> hub.open(LabelSelector.parse("")::matches, second::add, reason -> { })).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertEvent(second, WatchEvent.Type.ADDED, "a");
        inner.create(Node.builder("b").build());
        threads.submit(hub::pump).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertEvent(first, WatchEvent.Type.ADDED, "b");
        assertEvent(second, WatchEvent.Type.ADDED, "b");

        release.countDown();
        assertTrue(slowOpen.get(DEADLINE_SECONDS, TimeUnit.SECONDS).isOpen());
    }

    @Test
    void watchHubRunsNoOnCloseUnderItsLockABlockingCallbackStallsNothing() throws Exception {
        WatchHub<Node, WatchEvent> hub = WatchHub.nodes(inner, 2);
        inner.create(Node.builder("a").build());
        CountDownLatch slowSinkHolding = new CountDownLatch(1);
        LinkedBlockingQueue<String> closedBecause = new LinkedBlockingQueue<>();
        // This watcher reads nothing (its sink blocks on the first event) and blocks when told it is closed.
        Watch slow = hub.open(LabelSelector.parse("")::matches, e -> {
            slowSinkHolding.countDown();
            awaitRelease();
        }, reason -> {
            closedBecause.add(reason);
            awaitRelease();
        });
        assertTrue(slowSinkHolding.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
        for (int i = 1; i <= 5; i++) {
            Instant beat = Instant.EPOCH.plusSeconds(i);
            inner.updateStatus("a", n -> n.status().withLastHeartbeat(beat), Fence.NONE);
        }
        threads.submit(hub::pump).get(DEADLINE_SECONDS, TimeUnit.SECONDS); // overflows the slow watch's queue: it closes
        assertTrue(!slow.isOpen(), "the watch that fell behind is closed");

        LinkedBlockingQueue<WatchEvent> other = new LinkedBlockingQueue<>();
        threads.submit(() -> hub.open(LabelSelector.parse("")::matches, other::add, reason -> { })).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertEvent(other, WatchEvent.Type.ADDED, "a");
        inner.create(Node.builder("b").build());
        threads.submit(hub::pump).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertEvent(other, WatchEvent.Type.ADDED, "b");

        Watch blockingClose = hub.open(LabelSelector.parse("")::matches, e -> { }, reason -> awaitRelease());
        threads.submit(blockingClose::close).get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        threads.submit(hub::closeAll).get(DEADLINE_SECONDS, TimeUnit.SECONDS);

        release.countDown();
        assertEquals("the watcher fell more than 2 events behind; list again and re-watch",
                closedBecause.poll(DEADLINE_SECONDS, TimeUnit.SECONDS), "onClose still runs, once the watch's own thread is free");
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertEvent(LinkedBlockingQueue<WatchEvent> events, WatchEvent.Type type, String name) throws InterruptedException {
        WatchEvent e = events.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(e, "no " + type + " event for " + name);
        assertEquals(type + " " + name, e.type() + " " + e.object().name());
    }
}
