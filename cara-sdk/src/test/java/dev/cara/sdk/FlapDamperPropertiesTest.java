package dev.cara.sdk;

import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

/**
 * Flap damping over random histories of what the state rule computed (Ready, NotReady, now and then
 * Draining), with random gaps on an injected clock. Each property is checked against facts the test
 * derives from the history itself (flaps within the window, since when the node has been stable),
 * not against the damper's own bookkeeping.
 */
class FlapDamperPropertiesTest {
    private static final int MAX_FLAPS = 2;
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration HOLD_OFF = Duration.ofMinutes(5);
    private static final int TRIES = 400;

    private record Step(long gapSeconds, NodeState computed) {
    }

    private static final Gen<Long> GAP = Generate.pick(List.of(0L, 1L, 10L, 30L, 59L, 60L, 120L, 240L, 299L, 300L, 301L, 600L));
    private static final Gen<NodeState> STATE = Generate.frequency(
            org.quicktheories.api.Pair.of(5, Generate.constant(NodeState.READY)),
            org.quicktheories.api.Pair.of(5, Generate.constant(NodeState.NOT_READY)),
            org.quicktheories.api.Pair.of(1, Generate.constant(NodeState.DRAINING)));
    private static final Gen<List<Step>> HISTORIES = lists().of(GAP.zip(STATE, Step::new)).ofSizeBetween(1, 80);

    /** What the test knows at one step, derived from the history alone. */
    private record Fact(long t, NodeState computed, boolean flap, int flapsInWindow, Long stableBefore, Long stableSince,
                        FlapDamper.Verdict verdict) {
    }

    private static List<Fact> run(List<Step> history) {
        FakeTime time = new FakeTime();
        FlapDamper damper = FlapDamper.create(
                FlapDamping.builder().maxFlaps(MAX_FLAPS).window(WINDOW).holdOff(HOLD_OFF).build(), time, time);
        List<Long> flaps = new ArrayList<>();
        List<Fact> facts = new ArrayList<>();
        NodeState last = null;
        Long stableSince = null; // the first observation after the last NotReady one; null while NotReady
        long t = 0;
        for (Step s : history) {
            time.advance(Duration.ofSeconds(s.gapSeconds()));
            t += Duration.ofSeconds(s.gapSeconds()).toNanos();
            boolean flap = last == NodeState.NOT_READY && s.computed() == NodeState.READY;
            Long stableBefore = stableSince;
            if (flap) {
                flaps.add(t);
            }
            if (s.computed() == NodeState.NOT_READY) {
                stableSince = null;
            } else if (last == NodeState.NOT_READY) {
                stableSince = t;
            }
            long now = t;
            int inWindow = (int) flaps.stream().filter(f -> now - f < WINDOW.toNanos()).count();
            facts.add(new Fact(t, s.computed(), flap, inWindow, stableBefore, stableSince, damper.observe("web-1", s.computed())));
            last = s.computed();
        }
        return facts;
    }

    @Test
    void aFlappingNodeIsNeverReadyDuringItsHoldOff() {
        qt().withExamples(TRIES).withShrinkCycles(200).forAll(HISTORIES).checkAssert(history -> {
            boolean holding = false;
            for (Fact f : run(history)) {
                if (holding && f.stableBefore() != null && f.t() - f.stableBefore() >= HOLD_OFF.toNanos()) {
                    holding = false; // stable for the whole hold-off before this observation
                }
                if (f.flap() && f.flapsInWindow() > MAX_FLAPS) {
                    holding = true;
                }
                if (holding) {
                    assertNotEquals(NodeState.READY, f.verdict().state(), "Ready during the hold-off at " + f + " in " + history);
                    if (f.computed() != NodeState.DRAINING) {
                        assertEquals(NodeState.NOT_READY, f.verdict().state(), f.toString());
                    }
                    assertTrue(f.verdict().held(), "held without the Flapping condition at " + f);
                }
            }
        });
    }

    @Test
    void aStableNodeIsNeverMarkedFlapping() {
        qt().withExamples(TRIES).withShrinkCycles(200).forAll(HISTORIES).checkAssert(history -> {
            for (Fact f : run(history)) {
                if (f.flap() && f.flapsInWindow() > MAX_FLAPS) {
                    return; // from here on it has flapped
                }
                assertFalse(f.verdict().held(), "marked Flapping with at most " + MAX_FLAPS + " flaps per window at " + f);
                assertEquals(f.computed(), f.verdict().state(), "a node that never flapped is published as computed");
            }
        });
    }

    @Test
    void aHoldEndsOnceTheNodeHasBeenStableForTheHoldOff() {
        qt().withExamples(TRIES).withShrinkCycles(200).forAll(HISTORIES).checkAssert(history -> {
            for (Fact f : run(history)) {
                boolean stableLongEnough = f.stableSince() == null
                        ? f.computed() != NodeState.NOT_READY && noNotReadySoFar(history, f)
                        : f.t() - f.stableSince() >= HOLD_OFF.toNanos();
                if (stableLongEnough) {
                    assertFalse(f.verdict().held(), "still held after " + HOLD_OFF + " of stability at " + f);
                    assertEquals(f.computed(), f.verdict().state());
                }
            }
        });
    }

    @Test
    void everyHoldStartIsReported() {
        qt().withExamples(TRIES).withShrinkCycles(200).forAll(HISTORIES).checkAssert(history -> {
            boolean wasHeld = false;
            for (Fact f : run(history)) {
                if (f.verdict().holdStarted()) {
                    assertTrue(f.verdict().held(), "a hold started on a node not held at " + f);
                } else if (f.verdict().held()) {
                    assertTrue(wasHeld, "a hold began without holdStarted at " + f);
                }
                wasHeld = f.verdict().held();
            }
        });
    }

    private static boolean noNotReadySoFar(List<Step> history, Fact upTo) {
        long t = 0;
        for (Step s : history) {
            t += Duration.ofSeconds(s.gapSeconds()).toNanos();
            if (t > upTo.t()) {
                break;
            }
            if (s.computed() == NodeState.NOT_READY) {
                return false;
            }
        }
        return true;
    }
}
