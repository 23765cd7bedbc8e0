package dev.cara.sdk;

import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.MemoryEventStore;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each event the control plane records, through the facade, on manual ticks and fake time. */
class ControlPlaneEventsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final FlapDamping DAMPING = FlapDamping.builder().maxFlaps(2).window(Duration.ofMinutes(10))
            .holdOff(Duration.ofMinutes(5)).build();
    private final FakeTime time = new FakeTime();
    private final MemoryStore store = MemoryStore.create();
    private final ControlPlane cp = ControlPlane.builder().store(store).clock(time).ticker(time).heartbeatTimeout(TIMEOUT)
            .flapDamping(DAMPING).manualTicks(true).build().start();

    @AfterEach
    void close() {
        cp.close();
    }

    /** "Type Reason" of each event about node {@code name}, oldest first. */
    private List<String> of(String kind, String name) {
        InvolvedObject about = kind.equals("node") ? InvolvedObject.node(name) : InvolvedObject.project(name);
        return cp.events(EventFilter.about(about)).items().stream().map(e -> e.type() + " " + e.reason()).toList();
    }

    private Event last(String node) {
        List<Event> all = cp.events(EventFilter.about(InvolvedObject.node(node))).items();
        return all.get(all.size() - 1);
    }

    private void beat(String name) {
        cp.heartbeat(name, HeartbeatReport.claiming(NodeState.READY));
    }

    /** Registered, Ready, then three times silent past the timeout and back: more than the 2 flaps allowed. */
    private void flapThreeTimes(String name) {
        cp.register(Node.builder(name).build());
        beat(name);
        for (int flap = 1; flap <= 3; flap++) {
            silence();
            beat(name);
        }
    }

    private void silence() {
        time.advance(TIMEOUT.plusSeconds(1));
        cp.tick();
    }

    @Test
    void registrationReadyAndNotReadyOnTimeout() {
        cp.register(Node.builder("w1").build());
        beat("w1");
        silence();
        assertEquals(List.of("Normal Registered", "Normal Ready", "Warning NotReady"), of("node", "w1"));
        assertEquals("node is NotReady: no heartbeat within the heartbeat timeout (HeartbeatTimeout)", last("w1").message());
        assertEquals(time.instant(), last("w1").lastTimestamp());
    }

    @Test
    void notReadyNamesAgentShutdownAndACriticalCondition() {
        cp.register(Node.builder("w1").build());
        beat("w1");
        cp.heartbeat("w1", new HeartbeatReport(NodeState.NOT_READY, null, null, null, null,
                List.of(Condition.of(Condition.READY, ConditionStatus.FALSE, AgentClaim.AGENT_SHUTDOWN, "the agent stopped"))));
        assertEquals("node is NotReady: the agent shut down (AgentShutdown)", last("w1").message());
        cp.register(Node.builder("w2").build());
        beat("w2");
        cp.heartbeat("w2", new HeartbeatReport(NodeState.READY, null, null, null, null,
                List.of(Condition.of(Condition.NETWORK_UNAVAILABLE, ConditionStatus.TRUE, "NoRoute", null))));
        assertEquals("node is NotReady: critical condition NetworkUnavailable is True", last("w2").message());
        assertEquals(EventType.WARNING, last("w2").type());
    }

    @Test
    void drainUndrainAndDelete() {
        cp.register(Node.builder("w1").build());
        beat("w1");
        cp.setUnschedulable("w1", true);
        cp.setUnschedulable("w1", false);
        cp.delete("w1");
        assertEquals(List.of("Normal Registered", "Normal Ready", "Normal Draining", "Normal Schedulable", "Normal Deleted"),
                of("node", "w1"));
    }

    @Test
    void aNameRegisteredAgainAfterADeleteIsReregistered() {
        cp.register(Node.builder("w1").build());
        cp.delete("w1");
        cp.register(Node.builder("w1").build());
        // The second Registered folds into the first (same message, within the window) and moves to the newest end.
        assertEquals(List.of("Normal Deleted", "Normal Registered", "Normal Reregistered"), of("node", "w1"));
        assertEquals(2, cp.events(EventFilter.about(InvolvedObject.node("w1"))).items().get(1).count());
        cp.register(Node.builder("w2").build());
        assertEquals(List.of("Normal Registered"), of("node", "w2"), "a new name is no re-registration");
    }

    @Test
    void repeatsFoldIntoOneEventWithACount() {
        cp.register(Node.builder("w1").build());
        for (int i = 0; i < 2; i++) {
            beat("w1");
            silence();
        }
        Event notReady = last("w1");
        assertEquals(EventReason.NOT_READY, notReady.reason());
        assertEquals(2, notReady.count());
        assertTrue(notReady.lastTimestamp().isAfter(notReady.firstTimestamp()));
    }

    @Test
    void aFlappingNodeIsHeldWithAnEventAndReleasedWithAnotherAfterTheHoldOff() {
        flapThreeTimes("w1");
        Node held = cp.get("w1");
        assertEquals(NodeState.NOT_READY, held.state(), "the third flap within the window is more than 2: held");
        Condition ready = held.status().condition(Condition.READY).orElseThrow();
        assertEquals(ConditionStatus.FALSE, ready.status());
        assertEquals(FlapDamper.FLAPPING, ready.reason());
        assertEquals(ConditionStatus.TRUE, held.status().condition(FlapDamper.FLAPPING).orElseThrow().status());
        Event hold = last("w1");
        assertEquals(EventReason.FLAPPING, hold.reason());
        assertEquals(EventType.WARNING, hold.type());
        assertTrue(hold.message().contains("3 times within 10m"), hold.message());

        for (int i = 0; i < 10; i++) { // heartbeats every 30 s for 5 minutes: still held until the hold-off passed
            time.advance(Duration.ofSeconds(29));
            beat("w1");
            assertEquals(NodeState.NOT_READY, cp.get("w1").state());
        }
        time.advance(Duration.ofSeconds(11));
        beat("w1");
        Node released = cp.get("w1");
        assertEquals(NodeState.READY, released.state());
        assertTrue(released.status().condition(FlapDamper.FLAPPING).isEmpty());
        List<String> tail = of("node", "w1");
        assertEquals(List.of("Warning Flapping", "Normal FlappingEnded", "Normal Ready"), tail.subList(tail.size() - 3, tail.size()));
    }

    @Test
    void theSchedulerSaysAHeldNodeIsFlapping() {
        flapThreeTimes("w1");
        cp.projects().create(Project.builder("p1").service("web", "nginx").build());
        cp.tick();
        Project waiting = cp.projects().get("p1");
        assertEquals(ProjectPhase.PENDING, waiting.phase());
        assertEquals("0/1 node available: 1 NotReady (Flapping)",
                waiting.status().condition(ProjectStatus.SCHEDULED).orElseThrow().message());
        assertEquals(List.of("Warning ProjectUnschedulable"), of("project", "p1"));
    }

    @Test
    void projectsScheduledAndExpired() {
        cp.register(Node.builder("w1").build());
        ResourceList alloc = ResourceList.parse(Map.of("cpu", "2", "memory", "4Gi"));
        cp.heartbeat("w1", new HeartbeatReport(NodeState.READY, null, alloc, alloc, null, null));
        cp.projects().create(Project.builder("p1").service("web", "x").expireAt(time.instant().plusSeconds(60)).build());
        cp.tick();
        time.advance(Duration.ofSeconds(60));
        cp.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY));
        cp.tick();
        assertEquals(List.of("Normal ProjectScheduled", "Normal ProjectExpired"), of("project", "p1"));
        assertEquals("scheduled to node \"w1\"", cp.events(EventFilter.about(InvolvedObject.project("p1"))).items().get(0).message());
    }

    @Test
    void aWatchSeesTheHistoryThenNewEventsAndFolds() throws InterruptedException {
        cp.register(Node.builder("w1").build());
        LinkedBlockingQueue<EventWatchEvent> seen = new LinkedBlockingQueue<>();
        Watch w = cp.watchEvents(EventFilter.about(InvolvedObject.node("w1")), seen::add, reason -> { });
        cp.register(Node.builder("w2").build()); // not about w1
        beat("w1");
        silence();
        beat("w1");
        silence();
        cp.pumpWatches();
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            EventWatchEvent e = seen.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "watch event " + i + " after " + got);
            got.add(e.type() + " " + e.object().reason());
        }
        assertEquals(List.of("ADDED Registered", "ADDED Ready", "ADDED NotReady", "MODIFIED Ready", "MODIFIED NotReady"), got);
        w.close();
    }

    @Test
    void aFailingEventStoreNeverFailsAHeartbeatAndIsCounted() {
        EventStore broken = new FailingEventStore();
        try (ControlPlane c = ControlPlane.builder().store(MemoryStore.create()).events(broken).clock(time).ticker(time)
                .manualTicks(true).build().start()) {
            c.register(Node.builder("w1").build());
            assertEquals(NodeState.READY, c.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY)).state());
            assertEquals(2, c.droppedEvents());
        }
    }

    @Test
    void withoutAnEventStoreTheControlPlaneRunsAndSaysWhy() {
        try (ControlPlane c = ControlPlane.builder().store(MemoryStore.create()).noEvents().clock(time).ticker(time)
                .manualTicks(true).build().start()) {
            c.register(Node.builder("w1").build());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> c.events(EventFilter.all()));
            assertTrue(e.getMessage().contains("noEvents()"), e.getMessage());
        }
    }

    @Test
    void theLeaderCompactsAQuietHistoryOnItsTick() {
        try (ControlPlane c = ControlPlane.builder().store(MemoryStore.create()).clock(time).ticker(time).manualTicks(true)
                .events(MemoryEventStore.create(EventPolicy.builder().maxAge(Duration.ofMinutes(10)).build())).build().start()) {
            c.register(Node.builder("w1").build());
            time.advance(Duration.ofMinutes(11));
            c.tick();
            assertFalse(c.events(EventFilter.all()).items().stream().anyMatch(e -> e.reason().equals(EventReason.REGISTERED)));
        }
    }

    @Test
    void flapDampingIsOffInTheSdkByDefault() {
        try (ControlPlane c = ControlPlane.builder().store(MemoryStore.create()).clock(time).ticker(time).manualTicks(true)
                .build().start()) {
            c.register(Node.builder("w1").build());
            for (int flap = 0; flap < 10; flap++) {
                c.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY));
                time.advance(TIMEOUT.plusSeconds(1));
                c.tick();
            }
            assertEquals(NodeState.READY, c.heartbeat("w1", HeartbeatReport.claiming(NodeState.READY)).state());
        }
    }
}
