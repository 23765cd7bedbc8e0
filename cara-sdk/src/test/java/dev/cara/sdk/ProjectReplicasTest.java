package dev.cara.sdk;

import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two replicas sharing one {@link MemoryStore#withElection()}: the scheduler never double-books a node. */
class ProjectReplicasTest {
    private final FakeTime time = new FakeTime();
    private final MemoryStore store = MemoryStore.withElection();
    private final List<ControlPlane> started = new ArrayList<>();

    private ControlPlane replica(ControlPlaneListener listener) {
        ControlPlane cp = ControlPlane.builder().store(store).clock(time).ticker(time).manualTicks(true)
                .listener(listener).build().start();
        started.add(cp);
        return cp;
    }

    @AfterEach
    void close() {
        started.forEach(ControlPlane::close);
    }

    @Test
    void aLeaderDeposedMidPassBooksNoNodeTwiceAndTheNewLeaderBindsTheRest() {
        AtomicBoolean deposed = new AtomicBoolean();
        ControlPlane[] second = new ControlPlane[1];
        List<ProjectEvent> firstBound = new ArrayList<>();
        ControlPlane first = replica(new ControlPlaneListener() {
            @Override
            public void project(ProjectEvent e) {
                if (e.kind() == ProjectEvent.Kind.SCHEDULED) {
                    firstBound.add(e);
                    if (deposed.compareAndSet(false, true)) {
                        // Its lease ran out after its first binding: the other replica leads and runs a
                        // whole pass before this one makes its next write.
                        store.depose();
                        second[0].tick();
                    }
                }
            }
        });
        second[0] = replica(new ControlPlaneListener() { });
        assertTrue(first.isLeader());
        ResourceList alloc = ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi"));
        for (String n : List.of("w1", "w2")) {
            first.register(Node.builder(n).build());
            first.heartbeat(n, new HeartbeatReport(NodeState.READY, null, alloc, alloc, null, null));
        }
        for (int i = 0; i < 20; i++) {
            first.projects().create(Project.builder("p" + (100 + i)).service("web", "nginx").request("cpu", "1").build());
        }

        first.tick();

        assertFalse(first.isLeader(), "the deposed leader stepped down at its refused write");
        assertTrue(second[0].isLeader());
        assertEquals(1, firstBound.size(), "the deposed leader made no binding after its term ended");
        second[0].tick();
        first.tick();
        Map<String, Long> cpuByNode = new HashMap<>();
        int bound = 0;
        for (Project p : second[0].projects().list(ProjectFilter.ALL)) {
            if (p.status().nodeRef() != null) {
                bound++;
                cpuByNode.merge(p.status().nodeRef(), p.spec().resources().requests().amount("cpu").milliValue(), Long::sum);
            }
        }
        assertEquals(8, bound, "both nodes filled, once");
        cpuByNode.forEach((node, milli) -> assertTrue(milli <= 4000, node + " is over-committed: " + milli + "m cpu"));
    }
}
