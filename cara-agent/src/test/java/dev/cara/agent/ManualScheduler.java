package dev.cara.agent;

import dev.cara.sdk.testkit.FakeTime;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Fake time for the heartbeat loop: a {@link TaskScheduler} over {@link FakeTime}'s ticker and wall
 * clock, which move only when the test calls {@link #advance}. Due tasks run on the test's thread, in
 * order of their due time, with the clock set to that time. The queue is single-threaded by design.
 */
final class ManualScheduler extends FakeTime implements TaskScheduler {
    private record Task(long due, long seq, Runnable body, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long seq;

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        boolean[] cancelled = {false};
        queue.add(new Task(read() + delay.toNanos(), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every task due within {@code d}, each at its due time, then leaves the time at now + d. */
    @Override
    public void advance(Duration d) {
        long target = read() + d.toNanos();
        while (!queue.isEmpty() && queue.peek().due <= target) {
            Task t = queue.poll();
            if (!t.cancelled[0]) {
                super.advance(Duration.ofNanos(t.due - read()));
                t.body.run();
            }
        }
        super.advance(Duration.ofNanos(target - read()));
    }

    /** Runs what is due now (a task scheduled with no delay). */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** The delay until the next live task, if any. */
    Duration nextDelay() {
        queue.removeIf(t -> t.cancelled[0]);
        return queue.isEmpty() ? null : Duration.ofNanos(queue.peek().due - read());
    }

    int pending() {
        queue.removeIf(t -> t.cancelled[0]);
        return queue.size();
    }
}
