package dev.cara.sdk.testkit;

import dev.cara.sdk.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test time: a monotonic {@link Ticker} and a wall {@link Clock} that move together, only when the
 * test advances them, so nothing in a test waits for real time. Thread-safe: a test may advance it
 * while the code under test reads it on other threads.
 */
public class FakeTime extends Clock implements Ticker {
    /** Where the wall clock starts unless a test names another instant. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    // The ticker starts away from zero, as System.nanoTime does: code must only use differences.
    private static final long TICKER_ORIGIN = 1_000_000_000L;

    private final Instant wallAtOrigin;
    private final AtomicLong nanos = new AtomicLong(TICKER_ORIGIN);

    /** Time that starts at {@link #EPOCH} plus the ticker's origin. */
    public FakeTime() {
        this.wallAtOrigin = EPOCH;
    }

    /** Time whose wall clock reads {@code start} now. */
    public FakeTime(Instant start) {
        this.wallAtOrigin = start.minusNanos(TICKER_ORIGIN);
    }

    /** Moves both clocks forward by {@code d}. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, not by " + d);
        }
        nanos.addAndGet(d.toNanos());
    }

    public void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    @Override
    public long read() {
        return nanos.get();
    }

    @Override
    public Instant instant() {
        return wallAtOrigin.plusNanos(nanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
