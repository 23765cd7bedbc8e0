package dev.cara.sdk;

import dev.cara.sdk.testkit.FakeTime;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.spi.NodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlPlaneTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private final FakeTime time = new FakeTime();
    private final MemoryStore store = MemoryStore.create();
    private final List<StateTransition> transitions = new ArrayList<>();
    private final List<ControlPlane> started = new ArrayList<>();
    private final ControlPlane cp = controlPlane(store, DeletionGuard.ALLOW_ALL);

    private ControlPlane controlPlane(NodeStore s, DeletionGuard guard) {
        ControlPlane c = ControlPlane.builder().store(s).clock(time).ticker(time).heartbeatTimeout(TIMEOUT).manualTicks(true)
                .deletionGuard(guard).listener(new ControlPlaneListener() {
                    @Override
                    public void transition(StateTransition t) {
                        transitions.add(t);
                    }
                }).build().start();
        started.add(c);
        return c;
    }

    @AfterEach
    void close() {
        started.forEach(ControlPlane::close);
    }

    @Test
    void aNewNodeStartsNotReadyAndHeartbeatsMakeItReady() {
        Node registered = cp.register(Node.builder("w1").hostname("w1.lan").label("zone", "a").build());
        assertEquals(NodeState.NOT_READY, registered.state());
        assertEquals(FakeTime.EPOCH.plusNanos(time.read()), registered.metadata().createdAt());
        assertNotNull(registered.metadata().resourceVersion());
        Node ready = cp.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY));
        assertEquals(NodeState.READY, ready.state());
        assertEquals(time.instant(), ready.status().lastHeartbeat());
        assertEquals(registered.metadata().resourceVersion(), ready.metadata().resourceVersion(),
                "heartbeats never change the resourceVersion");
        assertEquals(List.of(NodeState.NOT_READY, NodeState.READY), transitions.stream().map(StateTransition::to).toList());
    }

    @Test
    void registeringUnschedulableStartsDraining() {
        assertEquals(NodeState.DRAINING, cp.register(Node.builder("w1").unschedulable(true).build()).state());
    }

    @Test
    void silenceMakesANodeNotReadyWithNoHeartbeatAndAHeartbeatBringsItBack() {
        cp.register(Node.builder("w1").build());
        cp.heartbeat("w1", HeartbeatReport.EMPTY);
        time.advance(TIMEOUT);
        cp.tick();
        assertEquals(NodeState.READY, cp.get("w1").state());
        time.advanceMillis(1);
        cp.tick();
        Node silent = cp.get("w1");
        assertEquals(NodeState.NOT_READY, silent.state());
        assertEquals(ConditionStatus.TRUE, silent.status().condition(Condition.NO_HEARTBEAT).orElseThrow().status());
        assertEquals(List.of("NoHeartbeat"), silent.status().adverseConditions().stream().map(Condition::type).toList());
        Node back = cp.heartbeat("w1", HeartbeatReport.EMPTY);
        assertEquals(NodeState.READY, back.state());
        assertEquals(ConditionStatus.FALSE, back.status().condition(Condition.NO_HEARTBEAT).orElseThrow().status());
    }

    @Test
    void aNodeThatNeverHeartbeatsGetsNoHeartbeatAfterTheTimeout() {
        cp.register(Node.builder("w1").build());
        time.advance(TIMEOUT.plusSeconds(1));
        cp.tick();
        assertEquals(ConditionStatus.TRUE, cp.get("w1").status().condition(Condition.NO_HEARTBEAT).orElseThrow().status());
    }

    @Test
    void drainingIsNotUndoneByHeartbeatsOrClaims() {
        cp.register(Node.builder("w1").build());
        cp.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY));
        assertEquals(NodeState.DRAINING, cp.setUnschedulable("w1", true).state());
        assertEquals(NodeState.DRAINING, cp.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY)).state());
        time.advance(TIMEOUT.plusSeconds(5));
        cp.tick();
        assertEquals(NodeState.DRAINING, cp.get("w1").state(), "the monitor never moves a node out of Draining");
        cp.heartbeat("w1", HeartbeatReport.EMPTY);
        assertEquals(NodeState.READY, cp.setUnschedulable("w1", false).state());
    }

    @Test
    void heartbeatsMergeWhatTheyNameAndKeepTheRest() {
        cp.register(Node.builder("w1").build());
        ResourceList cap = ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi"));
        cp.heartbeat("w1", new HeartbeatReport(NodeState.READY, new NetworkStatus("10.0.0.1", null, NetworkMode.DIRECT, 9090),
                cap, cap, new NodeInfo("6.1", "Debian", "0.1.0"),
                List.of(Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.TRUE, "Low", null))));
        Node merged = cp.heartbeat("w1", new HeartbeatReport(null, new NetworkStatus(null, "w1.mesh", null, null),
                null, null, null, null));
        assertEquals(new NetworkStatus("10.0.0.1", "w1.mesh", NetworkMode.DIRECT, 9090), merged.status().network());
        assertEquals(cap, merged.status().capacity());
        assertEquals("Debian", merged.status().info().osImage());
        assertEquals(ConditionStatus.TRUE, merged.status().condition(Condition.MEMORY_PRESSURE).orElseThrow().status(),
                "conditions are kept when a heartbeat does not name them");
        Node replaced = cp.heartbeat("w1", new HeartbeatReport(null, null, null, null, null,
                List.of(Condition.of(Condition.DISK_PRESSURE, ConditionStatus.FALSE, null, null),
                        Condition.of(Condition.NO_HEARTBEAT, ConditionStatus.TRUE, "Forged", null))));
        assertTrue(replaced.status().condition(Condition.MEMORY_PRESSURE).isEmpty(), "a reported set replaces the agent's set");
        assertEquals(ConditionStatus.FALSE, replaced.status().condition(Condition.NO_HEARTBEAT).orElseThrow().status(),
                "control-plane types are never taken from a heartbeat");
        assertEquals(NodeState.READY, replaced.state());
    }

    @Test
    void capacityAllocatableAndInfoAreReplacedWholeWhileNetworkMergesFieldByField() {
        cp.register(Node.builder("w1").build());
        cp.heartbeat("w1", new HeartbeatReport(NodeState.READY, new NetworkStatus("10.0.0.1", null, null, 9090),
                ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi")), null, new NodeInfo("6.1", "Debian", "0.1.0"), null));
        Node after = cp.heartbeat("w1", new HeartbeatReport(null, new NetworkStatus(null, null, NetworkMode.DERP, null),
                ResourceList.parse(Map.of("cpu", "2")), null, new NodeInfo(null, null, "0.2.0"), null));
        assertEquals(new NetworkStatus("10.0.0.1", null, NetworkMode.DERP, 9090), after.status().network());
        assertEquals(ResourceList.parse(Map.of("cpu", "2")), after.status().capacity(), "memory is gone: capacity is replaced");
        assertEquals(new NodeInfo(null, null, "0.2.0"), after.status().info(), "kernel and OS are gone: info is replaced");
    }

    @Test
    void aShutdownClaimIsNotReadyAtOnceWithItsReason() {
        cp.register(Node.builder("w1").build());
        cp.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY));
        Node stopped = cp.heartbeat("w1", new HeartbeatReport(NodeState.NOT_READY, null, null, null, null,
                List.of(Condition.of(Condition.READY, ConditionStatus.FALSE, AgentClaim.AGENT_SHUTDOWN, "the agent is stopping"))));
        assertEquals(NodeState.NOT_READY, stopped.state());
        assertEquals(AgentClaim.AGENT_SHUTDOWN, stopped.status().condition(Condition.READY).orElseThrow().reason());
        assertEquals(NodeState.READY, cp.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY)).state());
    }

    @Test
    void updatesAreCompareAndSetOnTheResourceVersion() {
        Node v1 = cp.register(Node.builder("w1").build());
        Node v2 = cp.update(v1.withMetadata(v1.metadata().withLabels(Map.of("tier", "gold"))));
        assertEquals(Map.of("tier", "gold"), v2.metadata().labels());
        assertFalse(v1.metadata().resourceVersion().equals(v2.metadata().resourceVersion()));
        assertThrows(ConflictException.class, () -> cp.update(v1.withMetadata(v1.metadata().withLabels(Map.of("tier", "iron")))));
        assertEquals(Map.of("tier", "gold"), cp.get("w1").metadata().labels(), "a stale write stores nothing");
        cp.heartbeat("w1", HeartbeatReport.EMPTY);
        assertEquals(v2.metadata().resourceVersion(), cp.get("w1").metadata().resourceVersion());
        Node v3 = cp.update(cp.get("w1").withSpec(new NodeSpec("h", true)));
        assertEquals(NodeState.DRAINING, v3.state());
        assertEquals(v2.metadata().createdAt(), v3.metadata().createdAt());
    }

    @Test
    void anUpdateThatChangesNothingKeepsTheVersionAndTime() {
        Node v1 = cp.register(Node.builder("w1").label("a", "b").build());
        time.advanceMillis(5_000);
        Node same = cp.update(v1);
        assertEquals(v1.metadata().resourceVersion(), same.metadata().resourceVersion());
        assertEquals(v1.metadata().updatedAt(), same.metadata().updatedAt());
    }

    @Test
    void invalidManifestsAndUnknownNamesAreTypedErrors() {
        assertThrows(InvalidException.class, () -> cp.register(new Node("v2", "Node", ObjectMeta.named("w1"), null, null)));
        assertThrows(InvalidException.class, () -> cp.register(new Node(null, null, ObjectMeta.named("Bad_Name"), null, null)));
        cp.register(Node.builder("w1").build());
        assertThrows(AlreadyExistsException.class, () -> cp.register(Node.builder("w1").build()));
        assertThrows(NotFoundException.class, () -> cp.get("nope"));
        assertThrows(NotFoundException.class, () -> cp.heartbeat("nope", HeartbeatReport.EMPTY));
        assertThrows(NotFoundException.class, () -> cp.delete("nope"));
        assertThrows(NotFoundException.class, () -> cp.setUnschedulable("nope", true));
    }

    @Test
    void aDeletionGuardCanBlockADelete() {
        ControlPlane guarded = controlPlane(MemoryStore.create(), node -> node.name().equals("busy")
                ? Optional.of("2 projects are assigned to it") : Optional.empty());
        guarded.register(Node.builder("busy").build());
        guarded.register(Node.builder("idle").build());
        ConflictException e = assertThrows(ConflictException.class, () -> guarded.delete("busy"));
        assertEquals("node \"busy\" cannot be deleted: 2 projects are assigned to it", e.getMessage());
        guarded.delete("idle");
        assertEquals(List.of("busy"), guarded.list().stream().map(Node::name).toList());
    }

    @Test
    void aRestartGrantsEveryHeartbeatingNodeAFullTimeout() {
        cp.register(Node.builder("w1").build());
        cp.heartbeat("w1", HeartbeatReport.EMPTY);
        time.advanceMillis(80_000);
        cp.close();
        ControlPlane restarted = controlPlane(store, DeletionGuard.ALLOW_ALL);
        time.advance(TIMEOUT);
        restarted.tick();
        assertEquals(NodeState.READY, restarted.get("w1").state(), "170 s since the heartbeat, but 90 s since the restart");
        time.advanceMillis(1);
        restarted.tick();
        assertEquals(NodeState.NOT_READY, restarted.get("w1").state());
    }

    @Test
    void watchesStartWithTheCurrentNodesThenFollowChanges() throws Exception {
        cp.register(Node.builder("a").label("zone", "x").build());
        cp.register(Node.builder("b").label("zone", "y").build());
        LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> closed = new LinkedBlockingQueue<>();
        Watch watch = cp.watch(LabelSelector.parse("zone=x"), events::add, closed::add);
        assertEvent(events, WatchEvent.Type.ADDED, "a");
        cp.heartbeat("a", HeartbeatReport.EMPTY);
        cp.heartbeat("b", HeartbeatReport.EMPTY);
        cp.register(Node.builder("c").label("zone", "x").build());
        cp.update(cp.get("a").withMetadata(cp.get("a").metadata().withLabels(Map.of("zone", "y"))));
        cp.delete("c");
        cp.pumpWatches();
        assertEvent(events, WatchEvent.Type.MODIFIED, "a");
        assertEvent(events, WatchEvent.Type.ADDED, "c");
        assertEvent(events, WatchEvent.Type.DELETED, "a");
        assertEvent(events, WatchEvent.Type.DELETED, "c");
        watch.close();
        assertEquals("closed by the watcher", closed.poll(30, TimeUnit.SECONDS));
        assertFalse(watch.isOpen());
        assertNull(events.poll());
    }

    private static void assertEvent(LinkedBlockingQueue<WatchEvent> events, WatchEvent.Type type, String name) throws InterruptedException {
        WatchEvent e = events.poll(30, TimeUnit.SECONDS);
        assertNotNull(e, "no " + type + " event for " + name);
        assertEquals(type + " " + name, e.type() + " " + e.object().name());
    }

    @Test
    void countsNodesByState() {
        cp.register(Node.builder("a").build());
        cp.register(Node.builder("b").unschedulable(true).build());
        cp.register(Node.builder("c").build());
        cp.heartbeat("c", HeartbeatReport.EMPTY);
        assertEquals(Map.of(NodeState.READY, 1L, NodeState.NOT_READY, 1L, NodeState.DRAINING, 1L), cp.countByState());
    }

    // ------------------------------------------------------------------ leadership

    /** A store whose leader election the test drives, and which refuses writes fenced with an old term. */
    static final class ElectedStore extends ForwardingStore implements LeaderElection {
        LeaderElection.Listener listener;
        volatile long term;

        ElectedStore() {
            super(MemoryStore.create());
        }

        void elect(long newTerm) {
            term = newTerm;
            listener.leadershipChanged(true, new Fence(newTerm));
        }

        void depose(long newTerm) {
            term = newTerm; // someone else leads now; our listener is not told yet
        }

        @Override
        public void start(Listener l) {
            listener = l;
        }

        @Override
        public boolean isLeader() {
            return term != 0;
        }

        @Override
        public Fence fence() {
            return new Fence(term);
        }

        @Override
        public LeaderElection leaderElection() {
            return this;
        }

        @Override
        public Node update(String name, String v, UnaryOperator<Node> m, Fence fence) {
            if (fence.fenced() && fence.term() != term) {
                throw new FencedException("term " + fence.term() + " is stale");
            }
            return super.update(name, v, m, fence);
        }

        @Override
        public Node updateStatus(String name, Function<Node, NodeStatus> m, Fence fence) {
            if (fence.fenced() && fence.term() != term) {
                throw new FencedException("term " + fence.term() + " is over");
            }
            return super.updateStatus(name, m, fence);
        }

        @Override
        public Map<String, Node> updateStatuses(Map<String, ? extends Function<Node, NodeStatus>> ms, Fence fence) {
            if (fence.fenced() && fence.term() != term) {
                throw new FencedException("term " + fence.term() + " is over");
            }
            return super.updateStatuses(ms, fence);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFollowerStoresFactsButLeavesStateToTheLeader() {
        ElectedStore shared = new ElectedStore();
        ControlPlane follower = controlPlane(shared, DeletionGuard.ALLOW_ALL);
        assertFalse(follower.isLeader());
        follower.register(Node.builder("w1").build());
        Node afterBeat = follower.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY));
        assertEquals(NodeState.NOT_READY, afterBeat.state(), "only the leader writes transitions");
        assertNotNull(afterBeat.status().lastHeartbeat());
        shared.elect(7);
        assertTrue(follower.isLeader());
        follower.tick();
        assertEquals(NodeState.READY, follower.get("w1").state(), "the new leader evaluates what the feed shows");
    }

    @Test
    void aDeposedLeaderCannotWriteATransitionAndStepsDown() {
        ElectedStore shared = new ElectedStore();
        ControlPlane leader = controlPlane(shared, DeletionGuard.ALLOW_ALL);
        shared.elect(1);
        leader.register(Node.builder("w1").build());
        leader.heartbeat("w1", HeartbeatReport.EMPTY);
        assertEquals(NodeState.READY, leader.get("w1").state());
        shared.depose(2);
        time.advance(TIMEOUT.plusSeconds(1));
        leader.tick();
        assertEquals(NodeState.READY, leader.get("w1").state(), "the fenced write was refused");
        assertFalse(leader.isLeader(), "a refused fence means stepping down at once");
    }

    /**
     * Defect 1: a spec write computed state and conditions from the writer's own monitor and stored
     * them unfenced, so a leader deposed behind its back wrote a stale NotReady over the new leader's
     * Ready (a flap, and a spurious transition).
     */
    @Test
    void deposedLeaderCannotWriteStaleSpecState() {
        MemoryStore shared = MemoryStore.withElection();
        ControlPlane first = controlPlane(shared, DeletionGuard.ALLOW_ALL);
        ControlPlane second = controlPlane(shared, DeletionGuard.ALLOW_ALL);
        assertTrue(first.isLeader());
        assertFalse(second.isLeader());
        first.register(Node.builder("w1").build());
        first.heartbeat("w1", HeartbeatReport.EMPTY);
        shared.depose();
        assertTrue(second.isLeader(), "the next replica in line leads the next term");
        assertTrue(first.isLeader(), "the deposed leader has not heard of it yet");
        for (int i = 0; i < 4; i++) {
            time.advance(Duration.ofSeconds(30));
            second.heartbeat("w1", HeartbeatReport.EMPTY); // the new leader hears the agent; the old one does not
        }
        transitions.clear();

        Node written = first.update(first.get("w1").withMetadata(first.get("w1").metadata().withLabels(Map.of("zone", "b"))));

        assertEquals(Map.of("zone", "b"), written.metadata().labels(), "the operator's change is stored");
        assertEquals(NodeState.READY, written.state(), "no stale NotReady from the deposed leader's silent monitor");
        assertEquals(ConditionStatus.FALSE, written.status().condition(Condition.NO_HEARTBEAT).orElseThrow().status());
        assertEquals(List.of(), transitions, "no spurious transition");
        assertFalse(first.isLeader(), "a refused fence means stepping down at once");
        assertTrue(second.isLeader());
    }

    @Test
    void aDeposedLeadersHeartbeatIsStoredAsAFollowersAndTheNewLeaderDecides() {
        MemoryStore shared = MemoryStore.withElection();
        ControlPlane first = controlPlane(shared, DeletionGuard.ALLOW_ALL);
        ControlPlane second = controlPlane(shared, DeletionGuard.ALLOW_ALL);
        first.register(Node.builder("w1").build());
        shared.depose();
        Node beat = first.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY));
        assertFalse(first.isLeader());
        assertEquals(NodeState.NOT_READY, beat.state(), "a follower stores facts, not state");
        second.tick();
        assertEquals(NodeState.READY, second.get("w1").state(), "the new leader evaluates the heartbeat from the feed");
    }

    /**
     * Defect 2: delete asked the guard on one read and then deleted whatever was there, so an
     * assignment landing between the check and the delete was ignored.
     */
    @Test
    void deleteGuardIsNotCheckThenActAnAssignmentBetweenCheckAndDeleteBlocksIt() {
        AtomicReference<ControlPlane> plane = new AtomicReference<>();
        AtomicBoolean assigned = new AtomicBoolean();
        DeletionGuard guard = node -> {
            if (node.metadata().labels().containsKey("project")) {
                return Optional.of("project \"p1\" is assigned to it");
            }
            if (assigned.compareAndSet(false, true)) {
                // The scheduler assigns a project after the guard has looked and before the delete lands.
                plane.get().update(node.withMetadata(node.metadata().withLabels(Map.of("project", "p1"))));
            }
            return Optional.empty();
        };
        ControlPlane guarded = controlPlane(MemoryStore.create(), guard);
        plane.set(guarded);
        guarded.register(Node.builder("w1").build());
        ConflictException e = assertThrows(ConflictException.class, () -> guarded.delete("w1"));
        assertEquals("node \"w1\" cannot be deleted: project \"p1\" is assigned to it", e.getMessage());
        assertEquals("p1", guarded.get("w1").metadata().labels().get("project"), "the node and its assignment are kept");
    }

    @Test
    void aDeleteThatKeepsLosingToConcurrentChangesGivesUpWithAConflict() {
        AtomicReference<ControlPlane> plane = new AtomicReference<>();
        AtomicInteger asked = new AtomicInteger();
        ControlPlane guarded = controlPlane(MemoryStore.create(), node -> {
            plane.get().update(node.withMetadata(node.metadata().withLabels(Map.of("n", Integer.toString(asked.incrementAndGet())))));
            return Optional.empty();
        });
        plane.set(guarded);
        guarded.register(Node.builder("w1").build());
        ConflictException e = assertThrows(ConflictException.class, () -> guarded.delete("w1"));
        assertEquals("node \"w1\" changed 10 times while being deleted; try again", e.getMessage());
        assertEquals(10, asked.get(), "the guard is asked again for each attempt, and the attempts are bounded");
        assertTrue(guarded.store().get("w1").isPresent());
    }
}
