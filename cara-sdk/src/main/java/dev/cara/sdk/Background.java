package dev.cara.sdk;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane's periodic work, each task on a daemon thread of its own, so that one task's
 * slow round (a tick writing thousands of expired nodes) never delays another (delivering watches).
 * A failed round is logged and the task runs again next time, instead of dying silently.
 *
 * <p><b>Ownership.</b> {@code executors} is a copy-on-write list: {@link #every} adds on the starting
 * thread, {@link #stop} reads on the closing one. Each executor's thread owns its task.
 */
final class Background {
    private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());

    private final List<ScheduledExecutorService> executors = new CopyOnWriteArrayList<>();

    /** Runs {@code task} every {@code interval} on a thread named {@code thread}. */
    void every(Duration interval, String thread, Runnable task, String whatFailed) {
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        executors.add(exec);
        exec.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, whatFailed, e);
            }
        }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops every task, waiting a little for a round in progress to end. */
    void stop() {
        for (ScheduledExecutorService exec : executors) {
            exec.shutdownNow();
        }
        for (ScheduledExecutorService exec : executors) {
            try {
                exec.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
