package dev.cara.sdk;

import dev.cara.sdk.testkit.FakeTime;
import dev.cara.sdk.spi.MemoryStore;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Properties of the whole control plane (state rule, monitor, store and scheduler together) over
 * random sequences of events: register, heartbeat with any claim and conditions, time passing,
 * unschedulable on and off, delete, re-register, and a control-plane restart on the same store.
 *
 * <p>After every event the monitor ticks, as the control plane's background thread does at least
 * once a second; so each invariant is checked at the instants the monitor evaluates. A reference
 * model tracks, independently of the implementation, what the monitor should have observed.
 */
class ControlPlanePropertiesTest {
    private static final int TRIES = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> NAMES = List.of("n0", "n1", "n2");

    // ------------------------------------------------------------------ events

    sealed interface Event permits Register, Heartbeat, Advance, SetUnschedulable, Delete, Restart {
    }

    record Register(String name, boolean unschedulable) implements Event {
    }

    record Heartbeat(String name, NodeState claim, boolean memoryPressure, boolean networkUnavailable,
                     boolean reportConditions) implements Event {
    }

    record Advance(long millis) implements Event {
    }

    record SetUnschedulable(String name, boolean value) implements Event {
    }

    record Delete(String name) implements Event {
    }

    record Restart() implements Event {
    }

    private static final Gen<String> NAME = Generate.pick(NAMES);
    private static final Gen<Boolean> BOOL = Generate.booleans();
    private static final Gen<NodeState> CLAIM = Generate.pick(java.util.Arrays.asList(null, null, NodeState.READY,
            NodeState.READY, NodeState.NOT_READY, NodeState.DRAINING));
    private static final Gen<Long> STEP = Generate.pick(List.of(0L, 1L, 500L, 1_000L, 30_000L, 60_000L, 89_999L,
            90_000L, 90_001L, 120_000L));

    @SuppressWarnings("unchecked")
    private static final Gen<Event> EVENT = Generate.frequency(
            org.quicktheories.api.Pair.of(3, NAME.zip(BOOL, (n, u) -> (Event) new Register(n, u && n.equals("n2")))),
            org.quicktheories.api.Pair.of(6, NAME.zip(CLAIM, BOOL, BOOL, (n, c, m, net) -> (Event) new Heartbeat(n, c, m, net, true))
                    .mix(NAME.zip(CLAIM, (n, c) -> (Event) new Heartbeat(n, c, false, false, false)))),
            org.quicktheories.api.Pair.of(5, STEP.map(ms -> (Event) new Advance(ms))),
            org.quicktheories.api.Pair.of(2, NAME.zip(BOOL, (n, v) -> (Event) new SetUnschedulable(n, v))),
            org.quicktheories.api.Pair.of(1, NAME.map(n -> (Event) new Delete(n))),
            org.quicktheories.api.Pair.of(1, Generate.constant((Event) new Restart())));

    private static final Gen<List<Event>> HISTORIES = lists().of(EVENT).ofSizeBetween(1, 40);

    // ------------------------------------------------------------------ the simulation

    /** What the model knows of one registered node, independently of the implementation. */
    static final class ModelNode {
        boolean unschedulable;
        NodeState claim;
        boolean memoryPressure;
        boolean networkUnavailable;
        boolean heartbeatSeen;
        /** The monitor's time of its last observation (heartbeat, registration, restart with grace); null = known silent. */
        Long lastObservedNanos;
        Instant lastHeartbeat;
        /** The model time of the last heartbeat, for the "never Ready without a heartbeat" invariant. */
        Long lastHeartbeatNanos;
        /** Condition statuses and transition times after the previous step, to check transition stamping. */
        Map<String, Condition> previousConditions = Map.of();
    }

    /** Runs one history, calling {@code check} after every event. */
    static final class Simulation {
        final FakeTime time = new FakeTime();
        final MemoryStore store = MemoryStore.create();
        final Map<String, ModelNode> model = new HashMap<>();
        final List<StateTransition> transitions = new ArrayList<>();
        ControlPlane cp = newControlPlane();
        long restartNanos = time.read();
        /** Names that were heartbeating-fresh (NoHeartbeat False) when the last restart happened. */
        Map<String, Boolean> freshAtRestart = new HashMap<>();

        ControlPlane newControlPlane() {
            return ControlPlane.builder().store(store).clock(time).ticker(time).heartbeatTimeout(TIMEOUT)
                    .manualTicks(true).listener(new ControlPlaneListener() {
                        @Override
                        public void transition(StateTransition t) {
                            transitions.add(t);
                        }
                    }).build().start();
        }

        void apply(Event e) {
            switch (e) {
                case Register r -> {
                    if (model.containsKey(r.name())) {
                        try {
                            cp.register(Node.builder(r.name()).unschedulable(r.unschedulable()).build());
                            fail("registering an existing name must fail");
                        } catch (AlreadyExistsException expected) {
                            // the model is unchanged
                        }
                    } else {
                        cp.register(Node.builder(r.name()).unschedulable(r.unschedulable()).build());
                        ModelNode m = new ModelNode();
                        m.unschedulable = r.unschedulable();
                        m.lastObservedNanos = time.read();
                        model.put(r.name(), m);
                    }
                }
                case Heartbeat h -> {
                    ModelNode m = model.get(h.name());
                    List<Condition> conditions = h.reportConditions() ? List.of(
                            Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.of(h.memoryPressure()), "Probe", null),
                            Condition.of(Condition.NETWORK_UNAVAILABLE, ConditionStatus.of(h.networkUnavailable()), "Probe", null))
                            : null;
                    HeartbeatReport report = new HeartbeatReport(h.claim(), null, null, null, null, conditions);
                    if (m == null) {
                        try {
                            cp.heartbeat(h.name(), report);
                            fail("a heartbeat for an unknown node must fail");
                        } catch (NotFoundException expected) {
                            // nothing stored
                        }
                    } else {
                        cp.heartbeat(h.name(), report);
                        if (h.claim() != null) {
                            m.claim = h.claim();
                        }
                        if (h.reportConditions()) {
                            m.memoryPressure = h.memoryPressure();
                            m.networkUnavailable = h.networkUnavailable();
                        }
                        m.heartbeatSeen = true;
                        m.lastObservedNanos = time.read();
                        m.lastHeartbeatNanos = time.read();
                        m.lastHeartbeat = time.instant();
                    }
                }
                case Advance a -> time.advanceMillis(a.millis());
                case SetUnschedulable s -> {
                    ModelNode m = model.get(s.name());
                    if (m == null) {
                        try {
                            cp.setUnschedulable(s.name(), s.value());
                            fail("updating an unknown node must fail");
                        } catch (NotFoundException expected) {
                            // nothing stored
                        }
                    } else {
                        cp.setUnschedulable(s.name(), s.value());
                        m.unschedulable = s.value();
                    }
                }
                case Delete d -> {
                    if (model.remove(d.name()) == null) {
                        try {
                            cp.delete(d.name());
                            fail("deleting an unknown node must fail");
                        } catch (NotFoundException expected) {
                            // nothing stored
                        }
                    } else {
                        cp.delete(d.name());
                    }
                }
                case Restart r -> {
                    cp.close();
                    freshAtRestart = new HashMap<>();
                    for (var entry : model.entrySet()) {
                        ModelNode m = entry.getValue();
                        boolean silent = silence(m) == null || silence(m).compareTo(TIMEOUT) > 0;
                        freshAtRestart.put(entry.getKey(), !silent);
                        // A node that was not yet silent gets a full grace period from the restart.
                        m.lastObservedNanos = silent ? null : time.read();
                    }
                    restartNanos = time.read();
                    cp = newControlPlane();
                }
            }
            cp.tick();
        }

        Duration silence(ModelNode m) {
            return m.lastObservedNanos == null ? null : Duration.ofNanos(time.read() - m.lastObservedNanos);
        }

        void run(List<Event> events, Runnable check) {
            try {
                for (Event e : events) {
                    apply(e);
                    check.run();
                    for (var entry : model.entrySet()) {
                        Map<String, Condition> byType = new HashMap<>();
                        for (Condition c : cp.get(entry.getKey()).status().conditions()) {
                            byType.put(c.type(), c);
                        }
                        entry.getValue().previousConditions = byType;
                    }
                }
            } finally {
                cp.close();
            }
        }
    }

    private static void forAllHistories(java.util.function.Function<Simulation, Runnable> invariant) {
        qt().withExamples(TRIES).withShrinkCycles(200).forAll(HISTORIES).checkAssert(events -> {
            Simulation sim = new Simulation();
            sim.run(events, invariant.apply(sim));
        });
    }

    // ------------------------------------------------------------------ invariants

    @Test
    void drainingIfAndOnlyIfUnschedulableOrAgentDrained() {
        forAllHistories(sim -> () -> sim.model.forEach((name, m) -> {
            Node n = sim.cp.get(name);
            boolean shouldDrain = m.unschedulable || m.claim == NodeState.DRAINING;
            assertEquals(shouldDrain, n.state() == NodeState.DRAINING,
                    name + ": unschedulable=" + m.unschedulable + " claim=" + m.claim + " but state " + n.state());
            assertEquals(m.unschedulable, n.spec().unschedulable(), name + ": spec.unschedulable");
        }));
    }

    @Test
    void neverReadyWithoutAHeartbeatObservedWithinTheTimeout() {
        forAllHistories(sim -> () -> sim.model.forEach((name, m) -> {
            Node n = sim.cp.get(name);
            if (n.state() != NodeState.READY) {
                return;
            }
            assertTrue(m.heartbeatSeen, name + " is Ready but never heartbeated");
            long now = sim.time.read();
            // The monitor's own observation: the last heartbeat, or a restart that granted grace.
            long observed = Math.max(m.lastHeartbeatNanos, sim.freshAtRestart.getOrDefault(name, false) ? sim.restartNanos : Long.MIN_VALUE);
            assertFalse(now - observed > TIMEOUT.toNanos(),
                    name + " is Ready " + Duration.ofNanos(now - observed) + " after its last observed heartbeat");
        }));
    }

    @Test
    void schedulerNeverReturnsANodeThatIsNotReady() {
        forAllHistories(sim -> () -> {
            List<Node> snapshot = sim.cp.list();
            for (Node n : Scheduler.standard().feasible(snapshot, SchedulingRequest.of(ResourceList.EMPTY), Map.of())) {
                assertEquals(NodeState.READY, n.state(), "the scheduler returned " + n.name());
                assertTrue(n.status().conditions().stream().noneMatch(Condition::pressure), "pressure on " + n.name());
            }
            Scheduler.standard().place(snapshot, SchedulingRequest.of(ResourceList.EMPTY), Map.of())
                    .ifPresent(p -> assertEquals(NodeState.READY, p.node().state()));
        });
    }

    @Test
    void transitionsAndTransitionTimesChangeOnlyOnRealChanges() {
        forAllHistories(sim -> () -> {
            for (StateTransition t : sim.transitions) {
                assertNotEquals(t.from(), t.to(), "a transition must change the state: " + t);
            }
            sim.model.forEach((name, m) -> {
                for (Condition c : sim.cp.get(name).status().conditions()) {
                    Condition before = m.previousConditions.get(c.type());
                    if (before != null && before.status() == c.status()) {
                        assertEquals(before.lastTransitionTime(), c.lastTransitionTime(),
                                name + "/" + c.type() + " kept status " + c.status() + " but its lastTransitionTime moved");
                    } else if (before != null) {
                        assertEquals(sim.time.instant(), c.lastTransitionTime(),
                                name + "/" + c.type() + " changed status but its lastTransitionTime is not now");
                    }
                }
            });
        });
    }

    @Test
    void afterARestartNoNodeTurnsSilentBeforeAFullTimeout() {
        forAllHistories(sim -> () -> sim.model.forEach((name, m) -> {
            boolean withinGrace = sim.time.read() - sim.restartNanos <= TIMEOUT.toNanos();
            if (withinGrace && sim.freshAtRestart.getOrDefault(name, false)) {
                Node n = sim.cp.get(name);
                assertEquals(ConditionStatus.FALSE, n.status().condition(Condition.NO_HEARTBEAT).orElseThrow().status(),
                        name + " turned NoHeartbeat " + Duration.ofNanos(sim.time.read() - sim.restartNanos) + " after a restart");
            }
        }));
    }

    @Test
    void theMonitorAgreesWithThePureRuleAtEveryInstant() {
        forAllHistories(sim -> () -> sim.model.forEach((name, m) -> {
            Node n = sim.cp.get(name);
            List<Condition> agent = new ArrayList<>();
            if (m.heartbeatSeen && n.status().condition(Condition.MEMORY_PRESSURE).isPresent()) {
                agent.add(Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.of(m.memoryPressure), "Probe", null));
                agent.add(Condition.of(Condition.NETWORK_UNAVAILABLE, ConditionStatus.of(m.networkUnavailable), "Probe", null));
            }
            AgentClaim claim = m.claim == null ? null : new AgentClaim(m.claim, null, null);
            StateRule.Outcome expected = StateRule.evaluate(new StateRule.Input(new NodeSpec(null, m.unschedulable), claim,
                    agent, List.copyOf(m.previousConditions.values()), m.heartbeatSeen, sim.silence(m), TIMEOUT,
                    m.lastHeartbeat, sim.time.instant()));
            assertEquals(expected.state(), n.state(), name + ": the stored state differs from the rule's");
            for (Condition c : expected.conditions()) {
                assertEquals(c.status(), n.status().condition(c.type()).orElseThrow().status(), name + "/" + c.type());
            }
        }));
    }
}
