package dev.cara.sdk;

import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.MemoryEventStore;
import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mapping from control-plane facts to events, and the recorder as a listener of a real control plane. */
class EventRecorderTest {
    private static final Instant T = Instant.parse("2026-03-04T05:06:07Z");

    private static List<String> reasons(StateTransition t) {
        return NodeEvents.forTransition(t).stream().map(e -> e.type() + " " + e.reason() + ": " + e.message()).toList();
    }

    private static StateTransition t(NodeState from, NodeState to, String reason) {
        return new StateTransition("web-1", from, to, T, reason);
    }

    @Test
    void eachNodeTransitionMakesItsEvent() {
        assertEquals(List.of("Normal Registered: node registered, NotReady until its first heartbeat"),
                reasons(t(null, NodeState.NOT_READY, StateRule.REASON_AWAITING_HEARTBEAT)));
        assertEquals(List.of("Normal Registered: node registered, Draining: spec.unschedulable is true, so no work is placed here"),
                reasons(t(null, NodeState.DRAINING, null)));
        assertEquals(List.of("Normal Ready: node is Ready"), reasons(t(NodeState.NOT_READY, NodeState.READY, StateRule.REASON_HEARTBEATING)));
        assertEquals(List.of("Warning NotReady: node is NotReady: no heartbeat within the heartbeat timeout (HeartbeatTimeout)"),
                reasons(t(NodeState.READY, NodeState.NOT_READY, StateRule.REASON_HEARTBEAT_TIMEOUT)));
        assertEquals(List.of("Warning NotReady: node is NotReady: the agent shut down (AgentShutdown)"),
                reasons(t(NodeState.READY, NodeState.NOT_READY, AgentClaim.AGENT_SHUTDOWN)));
        assertEquals(List.of("Warning NotReady: node is NotReady: critical condition NetworkUnavailable is True"),
                reasons(t(NodeState.READY, NodeState.NOT_READY, Condition.NETWORK_UNAVAILABLE)));
        assertEquals(List.of("Warning NotReady: node is NotReady: the agent reports KernelPanic"),
                reasons(t(NodeState.READY, NodeState.NOT_READY, "KernelPanic")));
        assertEquals(List.of("Warning Flapping: node is held NotReady: it is flapping"),
                reasons(t(NodeState.READY, NodeState.NOT_READY, FlapDamper.FLAPPING)));
        assertEquals(List.of("Normal Draining: node is Draining: no new work is placed here; work on it keeps running"),
                reasons(t(NodeState.READY, NodeState.DRAINING, null)));
        assertEquals(List.of("Normal Schedulable: node is schedulable again, and Ready"),
                reasons(t(NodeState.DRAINING, NodeState.READY, null)));
        assertEquals(List.of("Normal Schedulable: node is schedulable again, but NotReady: no work is placed until it is Ready",
                        "Warning NotReady: node is NotReady: no heartbeat within the heartbeat timeout (HeartbeatTimeout)"),
                reasons(t(NodeState.DRAINING, NodeState.NOT_READY, StateRule.REASON_HEARTBEAT_TIMEOUT)));
        assertEquals(List.of("Normal Deleted: node deleted (it was Ready)"), reasons(t(NodeState.READY, null, null)));
        assertEquals(List.of(), reasons(t(NodeState.READY, NodeState.READY, null)), "no change, no event");
        Event e = NodeEvents.forTransition(t(NodeState.READY, NodeState.DRAINING, null)).get(0);
        assertEquals(InvolvedObject.node("web-1"), e.involvedObject());
        assertEquals(T, e.firstTimestamp());
    }

    @Test
    void reregistrationAndFlapHoldsAreEventsOfTheirOwn() {
        assertEquals(EventReason.REREGISTERED, NodeEvents.reregistered("web-1", T).reason());
        Condition flapping = Condition.of(FlapDamper.FLAPPING, ConditionStatus.TRUE, FlapDamper.REASON, "went NotReady -> Ready 6 times");
        Event e = NodeEvents.flapping("web-1", flapping, T);
        assertEquals(EventType.WARNING, e.type());
        assertEquals("node is flapping: went NotReady -> Ready 6 times", e.message());
    }

    @Test
    void projectDecisionsMakeProjectEvents() {
        assertEquals("Normal ProjectScheduled: scheduled to node \"web-2\"",
                text(ProjectEvents.forScheduling("db", new ProjectScheduling.Bind("web-2", 10), T)));
        assertEquals("Warning ProjectUnschedulable: no node can take it: 0/3 nodes available: 3 NotReady",
                text(ProjectEvents.forScheduling("db", new ProjectScheduling.Unschedulable("0/3 nodes available: 3 NotReady"), T)));
        assertEquals(Optional.empty(), ProjectEvents.forScheduling("db", new ProjectScheduling.Skip("bound"), T));
        assertEquals(Optional.empty(), ProjectEvents.forLifecycle("db", new ProjectLifecycle.Keep(Optional.empty()), T));
        assertEquals("Normal ProjectExpired: expired at X; tearing it down", text(ProjectEvents.forLifecycle("db",
                new ProjectLifecycle.Transition(ProjectPhase.RUNNING, "web-2", ProjectPhase.TERMINATING, "web-2",
                        ProjectLifecycle.EXPIRED, "expired at X; tearing it down"), T)));
        assertEquals("Warning ProjectRescheduled: node gone", text(ProjectEvents.forLifecycle("db",
                new ProjectLifecycle.Transition(ProjectPhase.RUNNING, "web-2", ProjectPhase.PENDING, null,
                        ProjectLifecycle.NODE_NOT_READY, "node gone"), T)));
        assertEquals("Warning ProjectTerminated: given up", text(ProjectEvents.forLifecycle("db",
                new ProjectLifecycle.Transition(ProjectPhase.TERMINATING, "web-2", ProjectPhase.TERMINATED, "web-2",
                        ProjectLifecycle.TERMINATION_TIMEOUT, "given up"), T)));
        assertEquals("Normal ProjectExpired: removed: expired at X; nothing ran on a node", text(ProjectEvents.forLifecycle("db",
                new ProjectLifecycle.Remove(ProjectLifecycle.EXPIRED, "expired at X; nothing ran on a node"), T)));
        assertEquals("Normal ProjectTerminated: removed: torn down", text(ProjectEvents.forLifecycle("db",
                new ProjectLifecycle.Remove("Terminated", "torn down"), T)));
        assertEquals("Normal ProjectPhaseChanged: Scheduled -> Pending (NoNode): it names no node", text(ProjectEvents.forLifecycle("db",
                new ProjectLifecycle.Transition(ProjectPhase.SCHEDULED, null, ProjectPhase.PENDING, null,
                        ProjectLifecycle.NO_NODE, "it names no node"), T)));
    }

    @Test
    void theRecorderHearsARealControlPlaneAndFoldsRepeats() {
        FakeTime time = new FakeTime();
        Duration timeout = Duration.ofSeconds(90);
        try (MemoryStore store = MemoryStore.create()) {
            EventRecorder recorder = EventRecorder.into(store.events(), time);
            ControlPlane cp = ControlPlane.builder().store(store).clock(time).ticker(time).heartbeatTimeout(timeout)
                    .manualTicks(true).noEvents().listener(recorder).build().start(); // only this recorder records
            try {
                cp.register(Node.builder("web-1").build());
                for (int i = 0; i < 3; i++) {
                    cp.heartbeat("web-1", HeartbeatReport.EMPTY);
                    time.advance(timeout.plusSeconds(1));
                    cp.tick();
                }
                recorder.flapping("web-1", Condition.of(FlapDamper.FLAPPING, ConditionStatus.TRUE, FlapDamper.REASON, "too often"));
                cp.delete("web-1");
            } finally {
                cp.close();
            }
            List<Event> events = store.events().list(EventFilter.about(InvolvedObject.node("web-1"))).events();
            assertEquals(List.of("Registered 1", "Ready 3", "NotReady 3", "Flapping 1", "Deleted 1"),
                    events.stream().map(e -> e.reason() + " " + e.count()).toList(),
                    "three heartbeat timeouts within the fold window are one NotReady event of count 3");
            assertEquals(0, recorder.dropped());
        }
    }

    @Test
    void aFailingStoreDropsEventsInsteadOfFailingTheWork() {
        FakeTime time = new FakeTime();
        EventStore closed = MemoryEventStore.create();
        closed.close();
        EventRecorder recorder = EventRecorder.into(closed, time);
        recorder.transition(new StateTransition("web-1", NodeState.READY, NodeState.NOT_READY, time.instant(), null));
        recorder.reregistered("web-1");
        assertEquals(2, recorder.dropped());
        assertTrue(closed.describe().startsWith("memory"));
    }

    private static String text(Optional<Event> e) {
        Event event = e.orElseThrow();
        return event.type() + " " + event.reason() + ": " + event.message();
    }
}
