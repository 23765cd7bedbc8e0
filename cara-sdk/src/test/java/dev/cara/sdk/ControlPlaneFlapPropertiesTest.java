package dev.cara.sdk;

import dev.cara.sdk.spi.MemoryStore;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Flap damping end to end, through the {@link ControlPlane}: random histories of heartbeats (the agent
 * claiming Ready or NotReady), silences past the timeout seen by the monitor's tick, and cordons, on
 * one injected clock. Each history runs on two control planes at once, one damping and one not; the
 * undamped one says what the state rule computed, and its transitions are the flaps. The properties
 * are checked against facts derived from those, not against the damper's bookkeeping.
 */
class ControlPlaneFlapPropertiesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int MAX_FLAPS = 2;
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration HOLD_OFF = Duration.ofMinutes(5);
    private static final int TRIES = 150;

    /** One thing that happens to the node; {@code seconds} pass first (and the monitor ticks). */
    private record Step(long seconds, Action action) {
    }

    private enum Action { BEAT_READY, BEAT_NOT_READY, TICK, CORDON, UNCORDON }

    private static final Gen<Long> GAP = Generate.pick(List.of(0L, 1L, 10L, 30L, 60L, 89L, 91L, 120L, 200L, 299L, 301L));
    private static final Gen<Action> ACTION = Generate.frequency(
            Pair.of(8, Generate.constant(Action.BEAT_READY)),
            Pair.of(2, Generate.constant(Action.BEAT_NOT_READY)),
            Pair.of(4, Generate.constant(Action.TICK)),
            Pair.of(1, Generate.constant(Action.CORDON)),
            Pair.of(1, Generate.constant(Action.UNCORDON)));
    private static final Gen<List<Step>> HISTORIES = lists().of(GAP.zip(ACTION, Step::new)).ofSizeBetween(1, 60);

    /**
     * After one step: the time, what the rule computed (the undamped plane's state), whether the
     * history says the node is held now (a flap made more than {@value #MAX_FLAPS} in the window, and it
     * has not since been out of NotReady for the whole hold-off), whether any flap ever made too many,
     * and the damped plane's node.
     */
    private record Fact(long t, NodeState computed, boolean holding, boolean everFlapping, Node damped) {
        boolean flapping() {
            return damped.status().condition(FlapDamper.FLAPPING).map(c -> c.status() == ConditionStatus.TRUE).orElse(false);
        }
    }

    /** The history's own account of flaps and holds, told the undamped plane's transitions as they happen. */
    private static final class Model implements ControlPlaneListener {
        private final FakeTime time;
        private final List<Long> flaps = new ArrayList<>();
        private Long stableSince; // since when out of NotReady; null while NotReady
        private boolean holding;
        private boolean everFlapping;

        Model(FakeTime time) {
            this.time = time;
        }

        @Override
        public void transition(StateTransition t) {
            long now = time.read();
            if (t.to() == NodeState.NOT_READY) {
                settle(now); // stable for the hold-off right up to this NotReady: the hold ended before it
                stableSince = null;
            } else if (t.from() == NodeState.NOT_READY) {
                stableSince = now;
                if (t.to() == NodeState.READY) {
                    flaps.add(now);
                    if (flaps.stream().filter(f -> now - f < WINDOW.toNanos()).count() > MAX_FLAPS) {
                        holding = true;
                        everFlapping = true;
                    }
                }
            }
        }

        void settle(long now) {
            if (holding && stableSince != null && now - stableSince >= HOLD_OFF.toNanos()) {
                holding = false;
            }
        }
    }

    private static List<Fact> run(List<Step> history) {
        FakeTime time = new FakeTime();
        Model model = new Model(time);
        List<Fact> facts = new ArrayList<>();
        try (ControlPlane damped = plane(time, FlapDamping.builder().maxFlaps(MAX_FLAPS).window(WINDOW).holdOff(HOLD_OFF).build(), null);
             ControlPlane undamped = plane(time, FlapDamping.disabled(), model)) {
            for (ControlPlane cp : List.of(damped, undamped)) {
                cp.register(Node.builder("web-1").build());
            }
            for (Step s : history) {
                time.advance(Duration.ofSeconds(s.seconds()));
                for (ControlPlane cp : List.of(damped, undamped)) {
                    cp.tick();
                    switch (s.action()) {
                        case BEAT_READY -> cp.heartbeat("web-1", HeartbeatReport.claiming(NodeState.READY));
                        case BEAT_NOT_READY -> cp.heartbeat("web-1", HeartbeatReport.claiming(NodeState.NOT_READY));
                        case TICK -> cp.tick();
                        case CORDON -> cp.setUnschedulable("web-1", true);
                        case UNCORDON -> cp.setUnschedulable("web-1", false);
                    }
                }
                model.settle(time.read()); // the hold may end at the next evaluation: assert nothing from here
                facts.add(new Fact(time.read(), undamped.get("web-1").state(), model.holding, model.everFlapping,
                        damped.get("web-1")));
            }
        }
        return facts;
    }

    private static ControlPlane plane(FakeTime time, FlapDamping damping, ControlPlaneListener listener) {
        ControlPlaneBuilder b = ControlPlane.builder().store(MemoryStore.create()).clock(time).ticker(time)
                .heartbeatTimeout(TIMEOUT).flapDamping(damping).manualTicks(true);
        if (listener != null) {
            b.listener(listener);
        }
        return b.build().start();
    }

    @Test
    void aFlappingNodeIsNeverReadyDuringItsHoldOff() {
        qt().withExamples(TRIES).withShrinkCycles(100).forAll(HISTORIES).checkAssert(history -> {
            for (Fact f : run(history)) {
                if (f.holding() || f.flapping()) {
                    assertNotEquals(NodeState.READY, f.damped().state(), "Ready during the hold-off at " + f + " in " + history);
                }
                if (f.damped().state() == NodeState.READY) {
                    assertEquals(NodeState.READY, f.computed(), "damping never makes a node Ready: " + f);
                }
                if (f.holding()) {
                    assertEquals(f.computed() == NodeState.DRAINING ? NodeState.DRAINING : NodeState.NOT_READY,
                            f.damped().state(), "held: NotReady unless Draining, at " + f);
                }
            }
        });
    }

    @Test
    void aStableNodeIsNeverMarkedFlapping() {
        qt().withExamples(TRIES).withShrinkCycles(100).forAll(HISTORIES).checkAssert(history -> {
            for (Fact f : run(history)) {
                if (f.everFlapping()) {
                    return; // from here on it has flapped
                }
                assertFalse(f.flapping(), "marked Flapping with at most " + MAX_FLAPS + " flaps per window at " + f + " in " + history);
                assertEquals(f.computed(), f.damped().state(), "a node that never flapped is published as computed: " + f);
            }
        });
    }
}
