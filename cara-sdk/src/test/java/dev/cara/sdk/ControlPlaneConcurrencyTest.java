package dev.cara.sdk;

import dev.cara.sdk.testkit.FakeTime;
import dev.cara.sdk.spi.MemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads heartbeating the same nodes while the monitor ticks: every node ends Ready, each
 * transition is reported exactly once, and no transition is reported that did not change the state.
 * Time is fake; the threads race only each other.
 */
class ControlPlaneConcurrencyTest {
    @Test
    void concurrentHeartbeatsReportEachRealTransitionOnce() throws Exception {
        FakeTime time = new FakeTime();
        Map<String, List<StateTransition>> seen = new ConcurrentHashMap<>();
        AtomicInteger heartbeats = new AtomicInteger();
        try (MemoryStore store = MemoryStore.create();
             ControlPlane cp = ControlPlane.builder().store(store).clock(time).ticker(time)
                     .heartbeatTimeout(Duration.ofSeconds(90)).manualTicks(true)
                     .listener(new ControlPlaneListener() {
                         @Override
                         public void transition(StateTransition t) {
                             seen.computeIfAbsent(t.name(), n -> java.util.Collections.synchronizedList(new ArrayList<>())).add(t);
                         }

                         @Override
                         public void heartbeat(String name) {
                             heartbeats.incrementAndGet();
                         }
                     }).build().start()) {
            int nodes = 50;
            int threads = 8;
            int rounds = 50;
            for (int i = 0; i < nodes; i++) {
                cp.register(Node.builder("n" + i).build());
            }
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        for (int r = 0; r < rounds; r++) {
                            for (int i = 0; i < nodes; i++) {
                                cp.heartbeat("n" + i, HeartbeatReport.claiming(NodeState.READY));
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                w.start();
                workers.add(w);
            }
            start.await();
            for (int k = 0; k < 100; k++) {
                cp.tick(); // time does not move: no node may time out
            }
            for (Thread w : workers) {
                w.join();
            }
            assertEquals(List.of(), failures);
            assertEquals(nodes * threads * rounds, heartbeats.get());
            for (int i = 0; i < nodes; i++) {
                String name = "n" + i;
                assertEquals(NodeState.READY, cp.get(name).state());
                List<StateTransition> ts = seen.get(name);
                assertEquals(2, ts.size(), name + ": registration and one NotReady->Ready, got " + ts);
                assertEquals(NodeState.READY, ts.get(1).to());
                for (StateTransition t : ts) {
                    assertTrue(t.from() != t.to());
                }
            }
        }
    }
}
