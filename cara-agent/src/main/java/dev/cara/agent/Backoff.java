package dev.cara.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before retrying after the n-th failure in a row: exponential from {@code initial},
 * capped at {@code cap} (the heartbeat interval, so a recovered server hears from every agent within
 * one interval), with "equal jitter": a random point in the upper half of the nominal delay. The
 * upper half keeps the growth (a retry never comes back sooner than half the nominal), the random
 * part spreads a fleet that lost the server together.
 *
 * <p>Stateless; the loop keeps the failure count.
 *
 * @param initial the nominal delay after the first failure
 * @param cap     the longest delay
 */
public record Backoff(Duration initial, Duration cap) {
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(cap, "cap");
        if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= cap, got " + initial + " and " + cap);
        }
    }

    /** One second doubling up to the interval, or the interval itself when that is shorter. */
    public static Backoff upTo(Duration interval) {
        Duration initial = Duration.ofSeconds(1);
        return new Backoff(initial.compareTo(interval) <= 0 ? initial : interval, interval);
    }

    /** The delay before retry n, without jitter. */
    public Duration nominal(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, got " + failures);
        }
        long capNanos = cap.toNanos();
        long nanos = initial.toNanos();
        for (int i = 1; i < failures && nanos < capNanos; i++) {
            nanos = nanos > capNanos / 2 ? capNanos : nanos * 2;
        }
        return Duration.ofNanos(Math.min(nanos, capNanos));
    }

    /**
     * @param failures the failures in a row so far, at least 1
     * @param random   a number in [0, 1)
     * @return a delay in [nominal / 2, nominal]
     */
    public Duration delay(int failures, double random) {
        long nominal = nominal(failures).toNanos();
        long half = nominal / 2;
        return Duration.ofNanos(nominal - half + (long) (random * half));
    }
}
