package dev.cara.store.mapdb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit: many threads' writes share one commit, and each gets its own outcome.
 *
 * <p>A caller adds its write to the queue (lock-free) and then tries to take the commit lock. The
 * thread that gets it takes up to {@code maxBatch} queued writes and hands them to the committer,
 * which settles each one ({@link Write#succeed} or {@link Write#fail}); then every write of the batch
 * is marked done and its caller woken. A caller that finds the lock taken parks; every release of the
 * lock ({@link #unlock}) wakes the caller at the head of the queue to commit the next batch. So while
 * one commit runs, the next batch gathers behind it, an idle store commits a lone write at once, and
 * waiters never queue on the lock itself: a waiter whose write is done returns without taking it.
 *
 * <p>The commit lock is also the lock on the file for anyone else who writes it (status flushes,
 * close): they take it with {@link #lock} and must release it with {@link #unlock}, which hands the
 * queue on.
 *
 * @param <O> what a write asks for
 * @param <R> what a successful write returns
 */
final class GroupCommit<O, R> {
    private final ReentrantLock commitLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Write<O, R>> queue = new ConcurrentLinkedQueue<>();
    private final int maxBatch;
    private final Consumer<List<Write<O, R>>> committer;

    /**
     * @param committer called with the commit lock held and a batch in queue order; it settles every
     *                  write it can, and any write it leaves unsettled fails with what it threw
     */
    GroupCommit(int maxBatch, Consumer<List<Write<O, R>>> committer) {
        this.maxBatch = maxBatch;
        this.committer = committer;
    }

    /**
     * One queued write and its outcome. The outcome is written by the thread that commits the batch
     * before it sets the volatile {@code done}, so the waiter sees it once it sees {@code done}.
     */
    static final class Write<O, R> {
        private final O op;
        private final Thread waiter = Thread.currentThread();
        private R result;
        private Throwable failure;
        private boolean settled;
        private volatile boolean done;

        private Write(O op) {
            this.op = op;
        }

        O op() {
            return op;
        }

        void succeed(R value) {
            result = value;
            failure = null;
            settled = true;
        }

        void fail(Throwable cause) {
            result = null;
            failure = cause;
            settled = true;
        }
    }

    /** Queues {@code op}, waits until the commit holding it returned, and returns its outcome. */
    R submit(O op) {
        Write<O, R> write = new Write<>(op);
        queue.add(write);
        boolean interrupted = false;
        while (!write.done) {
            if (commitLock.tryLock()) {
                try {
                    commitQueued(); // our write is in this batch unless maxBatch others were ahead of it
                } finally {
                    unlock();
                }
            } else {
                LockSupport.park(this);
                // The write cannot be abandoned once queued: wait on, and keep the interrupt for the caller.
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (write.failure instanceof RuntimeException e) {
            throw e;
        }
        if (write.failure instanceof Error e) {
            throw e;
        }
        return write.result;
    }

    /** Takes the commit lock (blocking); release it with {@link #unlock}. */
    void lock() {
        commitLock.lock();
    }

    /**
     * Releases the commit lock and wakes the oldest queued write's thread to commit the queue: a
     * writer that found the lock taken parked after queuing, so the holder must hand the queue on.
     */
    void unlock() {
        commitLock.unlock();
        Write<O, R> head = queue.peek();
        if (head != null) {
            LockSupport.unpark(head.waiter);
        }
    }

    /** How many writes are queued for the next batch. */
    int queued() {
        return queue.size();
    }

    // Called with the commit lock held.
    private void commitQueued() {
        List<Write<O, R>> batch = new ArrayList<>();
        for (Write<O, R> w; batch.size() < maxBatch && (w = queue.poll()) != null; ) {
            batch.add(w);
        }
        Throwable thrown = null;
        try {
            committer.accept(batch);
        } catch (RuntimeException | Error e) {
            thrown = e; // each write of the batch reports it to its own caller
        } finally {
            for (Write<O, R> w : batch) {
                if (!w.settled) {
                    w.fail(thrown != null ? thrown : new IllegalStateException("the committer left a write unsettled"));
                }
            }
            for (Write<O, R> w : batch) {
                w.done = true;
                LockSupport.unpark(w.waiter);
            }
        }
    }
}
