package dev.cara.store.jdbc;

import dev.cara.sdk.UnavailableException;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The store's two daemon threads: one flushes heartbeats every flush window, the other compacts the
 * change feeds and deletes the events retention has dropped. They are apart so that a long
 * compaction never delays a flush.
 */
final class BackgroundTasks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BackgroundTasks.class.getName());

    private final HeartbeatBatcher batcher;
    private final Runnable compaction;
    private final ScheduledExecutorService flusher = daemon("cara-store-flusher");
    private final ScheduledExecutorService compactor = daemon("cara-store-compactor");

    BackgroundTasks(HeartbeatBatcher batcher, Runnable compaction, Duration flushWindow, Duration compactionInterval) {
        this.batcher = batcher;
        this.compaction = compaction;
        long window = flushWindow.toNanos();
        flusher.scheduleWithFixedDelay(this::flushQuietly, window, window, TimeUnit.NANOSECONDS);
        long every = compactionInterval.toNanos();
        compactor.scheduleWithFixedDelay(this::compactQuietly, every, every, TimeUnit.NANOSECONDS);
    }

    /** Stops both threads, letting a flush or compaction under way finish (up to 5 s each). */
    @Override
    public void close() {
        stopQuietly(flusher);
        stopQuietly(compactor);
    }

    private void flushQuietly() {
        try {
            batcher.flush();
        } catch (UnavailableException e) {
            LOG.log(Level.FINE, "heartbeat flush failed; retrying next window", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heartbeat flush failed", e);
        }
    }

    private void compactQuietly() {
        try {
            compaction.run();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "compaction failed; trying again later", e);
        }
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private static void stopQuietly(ExecutorService executor) {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
