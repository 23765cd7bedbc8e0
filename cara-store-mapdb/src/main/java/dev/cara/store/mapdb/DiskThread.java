package dev.cara.store.mapdb;

import dev.cara.sdk.UnavailableException;
import org.mapdb.Atomic;
import org.mapdb.DB;
import org.mapdb.HTreeMap;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
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
 * <p><b>A full disk.</b> MapDB writes through memory-mapped files that grow sparsely, so on a full file
 * system the first store into a new page faults (SIGBUS, seen as an {@link InternalError}) in the
 * middle of a commit, and even the rollback after it faults again, leaving MapDB's write-ahead log in
 * a state no later commit gets past (seen on a full tmpfs: every later commit failed, space back or
 * not, until a restart). So before MapDB touches anything, a commit checks that the file system has
 * room for it with a margin ({@link #needed}); if not it fails at once, naming the file and the cause,
 * and MapDB stays as it was, so the next commit succeeds once space returns. Another process filling
 * the disk between the check and the commit can still get past it: the check makes the common case
 * safe, not the race.
 *
 * <p>Callers serialize their commits (they hold the group-commit lock), so at most one commit is in
 * flight; the executor's queue only orders it with {@link #close}.
 */
final class DiskThread {
    /** Room kept beyond a commit's own bytes: MapDB's index pages, log headers and the file's next chunk. */
    static final long MARGIN = 4L << 20;

    private final MapDbFiles.Opened opened;
    private final String description;
    private final FreeSpace freeSpace; // null when the JVM cannot tell: then no check
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cara-mapdb-io");
        t.setDaemon(true);
        return t;
    });

    /** The usable bytes of the store's file system: {@link FileStore#getUsableSpace()}, or a test's figure. */
    @FunctionalInterface
    interface FreeSpace {
        long usable() throws IOException;
    }

    /** @param freeSpace where free space is read, or null for the file system of the store file */
    DiskThread(MapDbFiles.Opened opened, String description, FreeSpace freeSpace) {
        this.opened = opened;
        this.description = description;
        this.freeSpace = freeSpace != null ? freeSpace : fileSystemOf(opened.file());
    }

    private static FreeSpace fileSystemOf(java.nio.file.Path file) {
        try {
            FileStore fs = Files.getFileStore(file); // looked up once: each lookup reads the mount table
            return fs::getUsableSpace;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * Writes the node records of spec writes ({@code specPuts}) and of status writes
     * ({@code statusPuts}, in place: {@link StatusRecords}), removes {@code removals}, records
     * {@code ceiling}, and writes the event batch, in one commit.
     *
     * @throws UnavailableException naming the file and the cause if the commit failed (rolled back)
     */
    void commit(Map<String, byte[]> specPuts, Map<String, byte[]> statusPuts, Collection<String> removals, long ceiling,
                EventJournal.Batch events) {
        checkRoom(bytes(specPuts) + bytes(statusPuts) + bytes(events.puts()));
        HTreeMap<String, byte[]> disk = opened.disk();
        StatusRecords statusRecords = opened.statusRecords();
        Atomic.Long diskCeiling = opened.ceiling();
        run(() -> {
            try {
                write(disk, specPuts, removals);
                for (String name : specPuts.keySet()) {
                    statusRecords.drop(name); // the spec write's record is the newer one now
                }
                for (String name : removals) {
                    statusRecords.drop(name);
                }
                statusPuts.forEach(statusRecords::write);
                diskCeiling.set(ceiling);
                if (!events.isEmpty()) {
                    write(opened.eventsDisk(), events.puts(), events.removals());
                    opened.eventRevision().set(events.revision());
                }
                opened.db().commit();
            } catch (RuntimeException | Error e) {
                statusRecords.rolledBack(); // run() rolls MapDB back
                throw e;
            }
            statusRecords.committed();
        });
    }

    /**
     * Writes one project's record ({@code record} null: removes it) and records {@code revision} as the
     * latest project revision, in one commit.
     *
     * @throws UnavailableException naming the file and the cause if the commit failed (rolled back)
     */
    void commitProject(String name, byte[] record, long revision) {
        commitOne(opened.projectsDisk(), name, record, () -> opened.projectRevision().set(revision));
    }

    /**
     * Writes one token's record ({@code record} null: removes it), in one commit.
     *
     * @throws UnavailableException naming the file and the cause if the commit failed (rolled back)
     */
    void commitToken(String id, byte[] record) {
        commitOne(opened.tokensDisk(), id, record, () -> { });
    }

    private void commitOne(HTreeMap<String, byte[]> disk, String key, byte[] record, Runnable alsoWrite) {
        checkRoom(record == null ? 0 : record.length);
        run(() -> {
            if (record == null) {
                disk.remove(key);
            } else {
                disk.put(key, record);
            }
            alsoWrite.run();
            opened.db().commit();
        });
    }

    private static void write(HTreeMap<String, byte[]> disk, Map<String, byte[]> puts, Collection<String> removals) {
        disk.putAll(puts);
        for (String key : removals) {
            disk.remove(key);
        }
    }

    private static long bytes(Map<String, byte[]> records) {
        long bytes = 0;
        for (byte[] record : records.values()) {
            bytes += record.length;
        }
        return bytes;
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

    /** What a commit of {@code bytes} of records needs free: each record goes into the log, then the file. */
    static long needed(long bytes) {
        return 2 * bytes + MARGIN;
    }

    private void checkRoom(long bytes) {
        if (freeSpace == null) {
            return;
        }
        long free;
        try {
            free = freeSpace.usable();
        } catch (IOException e) {
            return; // cannot tell: let the commit try
        }
        long need = needed(bytes);
        if (free < need) {
            throw new UnavailableException(description + ": cannot commit to the store file " + opened.file()
                    + ": No space left on device (" + free + " bytes free on its file system, a commit needs "
                    + need + "); free some space there and writes resume by themselves");
        }
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
                    } catch (RuntimeException | Error rollbackFailed) {
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
