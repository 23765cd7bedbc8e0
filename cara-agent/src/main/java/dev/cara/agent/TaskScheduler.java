package dev.cara.agent;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay. The heartbeat loop only ever needs this, so tests replace it with a
 * fake whose time they advance by hand, and the loop never sleeps.
 */
@FunctionalInterface
public interface TaskScheduler {

    /** A scheduled task that has not run yet can be cancelled. */
    @FunctionalInterface
    interface Scheduled {
        void cancel();
    }

    Scheduled schedule(Duration delay, Runnable task);

    /** Runs each task on the executor's own thread. */
    static TaskScheduler of(ScheduledExecutorService timer) {
        return (delay, task) -> {
            ScheduledFuture<?> f = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
    }

    /**
     * Keeps time on {@code timer} and runs each task on {@code worker}, so that a task that blocks (an
     * HTTP call on a virtual thread) never holds up the timer. The simulator runs many loops this way.
     */
    static TaskScheduler of(ScheduledExecutorService timer, Executor worker) {
        return (delay, task) -> {
            ScheduledFuture<?> f = timer.schedule(() -> worker.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
    }
}
