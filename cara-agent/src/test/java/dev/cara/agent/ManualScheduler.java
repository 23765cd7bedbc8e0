package dev.cara.agent;

import dev.cara.sdk.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * Fake time for the heartbeat loop: a {@link TaskScheduler}, a {@link Ticker} and a wall {@link Clock}
 * that move only when the test calls {@link #advance}. Due tasks run on the test's thread, in order of
 * their due time, with the clock set to that time. Single-threaded by design.
 */
final class ManualScheduler extends Clock implements TaskScheduler, Ticker {
    static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private record Task(long due, long seq, Runnable body, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long now = 1_000_000_000L;
    private long seq;

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        boolean[] cancelled = {false};
        queue.add(new Task(now + delay.toNanos(), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every task due within {@code d}, then leaves the time at now + d. */
    void advance(Duration d) {
        long target = now + d.toNanos();
        while (!queue.isEmpty() && queue.peek().due <= target) {
            Task t = queue.poll();
            if (!t.cancelled[0]) {
                now = t.due;
                t.body.run();
            }
        }
        now = target;
    }

    /** Runs what is due now (a task scheduled with no delay). */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** The delay until the next live task, if any. */
    Duration nextDelay() {
        queue.removeIf(t -> t.cancelled[0]);
        return queue.isEmpty() ? null : Duration.ofNanos(queue.peek().due - now);
    }

    int pending() {
        queue.removeIf(t -> t.cancelled[0]);
        return queue.size();
    }

    @Override
    public long read() {
        return now;
    }

    @Override
    public Instant instant() {
        return EPOCH.plusNanos(now);
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
