package dev.cara.agent;

import java.time.Duration;

/**
 * Spreads heartbeats by ±10% of the interval, so that a fleet restarted together drifts apart
 * instead of beating in lockstep.
 */
public final class Jitter {
    /** The spread on each side of the interval. */
    public static final double SPREAD = 0.10;

    private Jitter() {
    }

    /**
     * @param random a number in [0, 1)
     * @return a duration in [0.9 * interval, 1.1 * interval]
     */
    public static Duration around(Duration interval, double random) {
        double factor = 1 - SPREAD + 2 * SPREAD * random;
        return Duration.ofNanos(Math.round(interval.toNanos() * factor));
    }
}
