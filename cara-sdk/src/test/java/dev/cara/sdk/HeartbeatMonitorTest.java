package dev.cara.sdk;

import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatMonitorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant WALL = Instant.parse("2026-01-01T00:00:00Z");
    private final FakeTime time = new FakeTime();
    private final HeartbeatMonitor monitor = new HeartbeatMonitor(time, TIMEOUT);

    @Test
    void aSilentNodeExpiresJustAfterItsTimeoutAndOnlyOnce() {
        monitor.heartbeat("a", WALL);
        time.advance(TIMEOUT);
        assertEquals(List.of(), monitor.expire(), "exactly the timeout is not yet past it");
        time.advanceMillis(1);
        assertEquals(List.of("a"), monitor.expire());
        time.advance(TIMEOUT);
        assertEquals(List.of(), monitor.expire(), "one silence is reported once");
    }

    @Test
    void aHeartbeatPushesTheDeadlineBackWithoutAnotherQueueSlot() {
        monitor.heartbeat("a", WALL);
        for (int i = 0; i < 10; i++) {
            time.advanceMillis(60_000);
            monitor.heartbeat("a", WALL.plusSeconds(i));
            assertEquals(List.of(), monitor.expire());
        }
        assertEquals(1, monitor.queuedDeadlines(), "one slot per node, however many heartbeats");
        time.advance(TIMEOUT.plusMillis(1));
        assertEquals(List.of("a"), monitor.expire());
        assertEquals(0, monitor.queuedDeadlines());
    }

    @Test
    void aNodeThatComesBackIsWatchedAgain() {
        monitor.heartbeat("a", WALL);
        time.advance(TIMEOUT.plusSeconds(1));
        assertEquals(List.of("a"), monitor.expire());
        monitor.heartbeat("a", WALL.plusSeconds(100));
        assertEquals(Duration.ZERO, monitor.liveness("a").silence());
        time.advance(TIMEOUT.plusSeconds(1));
        assertEquals(List.of("a"), monitor.expire());
    }

    @Test
    void trackingGrantsAFullGracePeriod() {
        monitor.track("old", true, WALL.minusSeconds(3600));
        time.advance(TIMEOUT);
        assertEquals(List.of(), monitor.expire());
        assertTrue(monitor.liveness("old").heartbeatSeen());
        time.advanceMillis(1);
        assertEquals(List.of("old"), monitor.expire());
    }

    @Test
    void aNodeTrackedAsSilentHasNoDeadlineUntilItHeartbeats() {
        monitor.trackSilent("gone", true, WALL);
        assertNull(monitor.liveness("gone").silence());
        time.advance(TIMEOUT.multipliedBy(3));
        assertEquals(List.of(), monitor.expire());
        monitor.heartbeat("gone", WALL.plusSeconds(500));
        assertEquals(Duration.ZERO, monitor.liveness("gone").silence());
        time.advance(TIMEOUT.plusSeconds(1));
        assertEquals(List.of("gone"), monitor.expire());
    }

    @Test
    void forgottenNodesNeverExpire() {
        monitor.heartbeat("a", WALL);
        monitor.forget("a");
        time.advance(TIMEOUT.plusSeconds(1));
        assertEquals(List.of(), monitor.expire());
        assertFalse(monitor.tracks("a"));
        assertEquals(HeartbeatMonitor.Liveness.UNKNOWN, monitor.liveness("a"));
    }

    @Test
    void heartbeatsFromAChangeFeedCountOnlyWhenNewer() {
        monitor.heartbeat("a", WALL);
        time.advanceMillis(5_000);
        assertFalse(monitor.heartbeatIfNewer("a", WALL), "the same heartbeat seen again in the feed");
        assertEquals(Duration.ofSeconds(5), monitor.liveness("a").silence());
        assertTrue(monitor.heartbeatIfNewer("a", WALL.plusSeconds(4)));
        assertEquals(Duration.ZERO, monitor.liveness("a").silence());
    }

    @Test
    void expiryIsOrderedByDeadline() {
        monitor.heartbeat("late", WALL);
        time.advanceMillis(1);
        monitor.heartbeat("later", WALL);
        time.advance(TIMEOUT.plusSeconds(1));
        assertEquals(List.of("late", "later"), monitor.expire());
    }

    /**
     * Heartbeats racing ticks must never lose a node: every node that stops heartbeating must expire
     * eventually, whatever interleaving the race produced. Fake time; the threads only race each other.
     */
    @Test
    void concurrentHeartbeatsAndTicksNeverLoseANode() throws Exception {
        int nodes = 200;
        for (int i = 0; i < nodes; i++) {
            monitor.track("n" + i, true, WALL);
        }
        CyclicBarrier start = new CyclicBarrier(3);
        List<Throwable> failures = new ArrayList<>();
        Runnable beater = () -> {
            try {
                start.await();
                for (int round = 0; round < 200; round++) {
                    for (int i = 0; i < nodes; i++) {
                        monitor.heartbeat("n" + i, WALL);
                    }
                }
            } catch (Exception e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        };
        Thread t1 = new Thread(beater);
        Thread t2 = new Thread(beater);
        t1.start();
        t2.start();
        start.await();
        for (int round = 0; round < 400; round++) {
            time.advanceMillis(500);
            monitor.expire();
        }
        t1.join();
        t2.join();
        assertEquals(List.of(), failures);
        time.advance(TIMEOUT.plusSeconds(1));
        List<String> expired = new ArrayList<>(monitor.expire());
        // Nodes that expired during the race were reported then; everything else must expire now.
        for (int i = 0; i < nodes; i++) {
            String name = "n" + i;
            HeartbeatMonitor.Liveness l = monitor.liveness(name);
            assertTrue(l.silence().compareTo(TIMEOUT) > 0);
        }
        assertTrue(expired.size() <= nodes);
        assertEquals(0, monitor.queuedDeadlines(), "every node left the queue once silent");
    }
}
