package dev.cara.sdk;

import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.cara.sdk.NodeState.DRAINING;
import static dev.cara.sdk.NodeState.NOT_READY;
import static dev.cara.sdk.NodeState.READY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flap damping at its edges: exactly N flaps, the window's boundary, the hold-off's boundary. */
class FlapDamperTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration HOLD_OFF = Duration.ofMinutes(5);

    private final FakeTime time = new FakeTime();
    private final FlapDamper damper = FlapDamper.create(
            FlapDamping.builder().maxFlaps(3).window(WINDOW).holdOff(HOLD_OFF).build(), time, time);

    /** {@code n} flaps, one second apart: NotReady, then Ready a second later. */
    private FlapDamper.Verdict flap(int n) {
        FlapDamper.Verdict last = null;
        for (int i = 0; i < n; i++) {
            damper.observe("web-1", NOT_READY);
            time.advance(Duration.ofSeconds(1));
            last = damper.observe("web-1", READY);
            time.advance(Duration.ofSeconds(1));
        }
        return last;
    }

    @Test
    void disabledDampingPassesEveryStateThroughAndKeepsNothing() {
        FlapDamper off = FlapDamper.create(FlapDamping.disabled(), time, time);
        for (int i = 0; i < 100; i++) {
            assertEquals(NOT_READY, off.observe("web-1", NOT_READY).state());
            FlapDamper.Verdict v = off.observe("web-1", READY);
            assertEquals(READY, v.state());
            assertFalse(v.held());
        }
        assertEquals(0, off.size());
        assertFalse(FlapDamping.disabled().enabled());
    }

    @Test
    void exactlyMaxFlapsDoNotHold() {
        FlapDamper.Verdict third = flap(3);
        assertEquals(READY, third.state(), "3 flaps with maxFlaps 3 are tolerated: only more than N hold");
        assertFalse(third.held());
        assertFalse(damper.held("web-1"));
    }

    @Test
    void theFlapAfterMaxFlapsHoldsTheNodeWithAFlappingCondition() {
        flap(3);
        damper.observe("web-1", NOT_READY);
        time.advance(Duration.ofSeconds(1));
        FlapDamper.Verdict fourth = damper.observe("web-1", READY);
        assertEquals(NOT_READY, fourth.state());
        assertTrue(fourth.holdStarted());
        Condition c = fourth.flapping().orElseThrow();
        assertEquals(FlapDamper.FLAPPING, c.type());
        assertEquals(ConditionStatus.TRUE, c.status());
        assertEquals(FlapDamper.REASON, c.reason());
        assertEquals("went NotReady -> Ready 4 times within 10m (more than 3); held NotReady until "
                + time.instant().plus(HOLD_OFF) + ", once it has gone 5m without being NotReady", c.message());
        assertTrue(damper.held("web-1"));
        assertEquals(c, damper.condition("web-1").orElseThrow());
        FlapDamper.Verdict again = damper.observe("web-1", READY);
        assertFalse(again.holdStarted(), "the hold starts once");
        assertEquals(NOT_READY, again.state());
    }

    @Test
    void aFlapExactlyOneWindowOldNoLongerCounts() {
        damper.observe("web-1", NOT_READY);
        damper.observe("web-1", READY); // flap 1 at t
        flap(2); // flaps 2 and 3
        time.advance(WINDOW.minus(Duration.ofSeconds(4)));
        // Now exactly one window after flap 1.
        damper.observe("web-1", NOT_READY);
        assertEquals(READY, damper.observe("web-1", READY).state(), "flap 1 is exactly one window old: out, so 3 flaps");
    }

    @Test
    void aFlapJustInsideTheWindowStillCounts() {
        damper.observe("web-1", NOT_READY);
        damper.observe("web-1", READY);
        flap(2);
        time.advance(WINDOW.minus(Duration.ofSeconds(4)).minusNanos(1));
        damper.observe("web-1", NOT_READY);
        assertEquals(NOT_READY, damper.observe("web-1", READY).state(), "flap 1 is a nanosecond inside the window: 4 flaps");
    }

    @Test
    void theHoldEndsAfterExactlyTheHoldOffOfStability() {
        flap(4);
        time.advance(HOLD_OFF.minus(Duration.ofSeconds(1)).minusNanos(1));
        assertEquals(NOT_READY, damper.observe("web-1", READY).state(), "a nanosecond short of the hold-off: still held");
        assertTrue(damper.held("web-1"));
        time.advance(Duration.ofNanos(1));
        FlapDamper.Verdict released = damper.observe("web-1", READY);
        assertEquals(READY, released.state());
        assertFalse(released.held());
        assertFalse(damper.held("web-1"));
        assertTrue(damper.condition("web-1").isEmpty());
    }

    @Test
    void beingNotReadyDuringTheHoldRestartsTheHoldOff() {
        flap(4);
        time.advance(Duration.ofMinutes(4));
        damper.observe("web-1", NOT_READY);
        time.advance(Duration.ofMinutes(1));
        damper.observe("web-1", READY); // a fifth flap: stability starts now
        time.advance(HOLD_OFF.minusNanos(1));
        assertEquals(NOT_READY, damper.observe("web-1", READY).state());
        time.advance(Duration.ofNanos(1));
        assertEquals(READY, damper.observe("web-1", READY).state());
    }

    @Test
    void aNodeNotReadyForLongerThanTheHoldOffIsStillHeldWhenItComesBack() {
        flap(4);
        damper.observe("web-1", NOT_READY);
        time.advance(HOLD_OFF.multipliedBy(3));
        assertEquals(NOT_READY, damper.observe("web-1", NOT_READY).state());
        assertTrue(damper.held("web-1"), "NotReady all along is not stable: the hold-off has not begun");
        assertEquals(NOT_READY, damper.observe("web-1", READY).state(), "its stability starts when it comes back");
        time.advance(HOLD_OFF);
        assertEquals(READY, damper.observe("web-1", READY).state());
    }

    @Test
    void drainingPassesThroughWhileHeldAndBreaksAFlap() {
        flap(4);
        assertEquals(DRAINING, damper.observe("web-1", DRAINING).state());
        assertTrue(damper.held("web-1"), "draining is not NotReady, but neither is it the hold-off's end");
        FlapDamper other = FlapDamper.create(FlapDamping.builder().maxFlaps(1).build(), time, time);
        for (int i = 0; i < 5; i++) {
            other.observe("web-2", NOT_READY);
            other.observe("web-2", DRAINING);
            assertEquals(READY, other.observe("web-2", READY).state(), "NotReady, Draining, Ready is no flap");
        }
    }

    @Test
    void nodesAreDampedApartAndForgetDropsOne() {
        flap(4);
        assertTrue(damper.held("web-1"));
        assertFalse(damper.held("web-2"));
        damper.observe("web-2", NOT_READY);
        assertEquals(READY, damper.observe("web-2", READY).state());
        damper.forget("web-1");
        assertFalse(damper.held("web-1"));
        assertEquals(1, damper.size());
    }

    @Test
    void settingsAreCheckedWhenSetAndNameTheField() {
        assertEquals("flapDamping.maxFlaps: \"0\" is invalid: must be at least 1 (to turn damping off, leave it disabled)",
                assertThrows(InvalidException.class, () -> FlapDamping.builder().maxFlaps(0)).getMessage());
        assertEquals("flapDamping.window", assertThrows(InvalidException.class,
                () -> FlapDamping.builder().window(Duration.ZERO)).field());
        assertEquals("flapDamping.holdOff", assertThrows(InvalidException.class,
                () -> FlapDamping.builder().holdOff(Duration.ofSeconds(-1))).field());
        FlapDamping recommended = FlapDamping.recommended();
        assertTrue(recommended.enabled());
        assertEquals(5, recommended.maxFlaps());
        assertEquals(Duration.ofMinutes(10), recommended.window());
        assertEquals(Duration.ofMinutes(5), recommended.holdOff());
    }
}
