package dev.cara.store.mapdb;

import dev.cara.sdk.UnavailableException;
import org.mapdb.Atomic;
import org.mapdb.DB;
import org.mapdb.HTreeMap;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one thread that writes the MapDB file, {@code cara-mapdb-io}, and the commits it runs. A thread
 * interrupted inside FileChannel I/O closes the channel (ClosedByInterruptException) and leaves MapDB
 * unusable; callers' threads can be interrupted (request timeouts, executor shutdowns), this one
 * never is.
 *
 * <p>Callers serialize their commits (they hold the group-commit lock), so at most one commit is in
 * flight; the executor's queue only orders it with {@link #close}.
 */
final class DiskThread {
    private final MapDbFiles.Opened opened;
    private final String description;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cara-mapdb-io");
        t.setDaemon(true);
        return t;
    });

    DiskThread(MapDbFiles.Opened opened, String description) {
        this.opened = opened;
        this.description = description;
    }

    /**
     * Writes {@code puts}, removes {@code removals} and records {@code ceiling}, in one commit.
     *
     * @throws UnavailableException naming the file and the cause if the commit failed (rolled back)
     */
    void commit(Map<String, byte[]> puts, Collection<String> removals, long ceiling) {
        HTreeMap<String, byte[]> disk = opened.disk();
        Atomic.Long diskCeiling = opened.ceiling();
        run(() -> {
            disk.putAll(puts);
            for (String name : removals) {
                disk.remove(name);
            }
            diskCeiling.set(ceiling);
            opened.db().commit();
        });
    }

    /** Closes the MapDB file on the disk thread, then the thread. */
    void close() {
        try {
            run(opened.db()::close);
        } finally {
            io.shutdown();
        }
    }

    boolean isClosed() {
        return opened.db().isClosed();
    }

    /**
     * Runs MapDB writes and their commit on the disk thread and waits for them, even if this thread is
     * interrupted meanwhile (the interrupt is kept for the caller). On failure it rolls the transaction
     * back, so that nothing half-written is committed later by someone else.
     */
    private void run(Runnable writes) {
        DB db = opened.db();
        Future<?> done;
        try {
            done = io.submit(() -> {
                try {
                    writes.run();
                } catch (RuntimeException | Error e) {
                    try {
                        db.rollback();
                    } catch (RuntimeException rollbackFailed) {
                        e.addSuppressed(rollbackFailed);
                    }
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the store " + description + " is closed", e);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw writeFailed(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private UnavailableException writeFailed(Throwable cause) {
        return new UnavailableException(description + ": could not write the store file (" + cause
                + "); check free disk space and permissions of " + opened.file().getParent(), cause);
    }
}
