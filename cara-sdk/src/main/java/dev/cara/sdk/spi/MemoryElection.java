package dev.cara.sdk.spi;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Leadership terms for a {@link MemoryStore} that several control planes in one process share, the
 * way replicas share a database: each {@link MemoryStore#leaderElection()} call is one replica's
 * candidacy. The first candidate to start leads term 1; the others wait in line and the next one
 * leads the next term when the leader closes or is {@linkplain #depose() deposed}. A deposed leader
 * is not told (as when its lease ran out while it was paused): it learns only when the store refuses
 * one of its fenced writes, as a JDBC replica does, and then waits in line again.
 *
 * <p><b>Ownership.</b> {@code lock} guards {@code term}, {@code holder}, {@code waiting},
 * {@code deposed} and every candidate's fields. The store calls {@link #refusal} while it holds its own write
 * lock, so this lock is always taken after that one and never the other way round. Listeners are
 * told after {@code lock} is released, on the thread that caused the change.
 */
final class MemoryElection {
    private final Object lock = new Object();
    private long term;
    private Candidate holder;
    private final Deque<Candidate> waiting = new ArrayDeque<>();
    private final List<Candidate> deposed = new ArrayList<>(); // deposed, and not told yet
    private int candidates;

    LeaderElection candidate() {
        synchronized (lock) {
            return new Candidate("memory-replica-" + (++candidates));
        }
    }

    /** Why a write under {@code fence} must be refused, or null when it may land. */
    FencedException refusal(Fence fence) {
        if (!fence.fenced()) {
            return null;
        }
        synchronized (lock) {
            if (holder != null && fence.term() == term) {
                return null;
            }
            return new FencedException("leader term " + fence.term() + " is no longer current (the store is at term "
                    + term + "); this replica must not write state transitions");
        }
    }

    /** The store refused a write under {@code fence}: its writer learns that it was deposed. */
    void refused(Fence fence) {
        List<Runnable> news = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<Candidate> it = deposed.iterator(); it.hasNext(); ) {
                Candidate c = it.next();
                if (c.believed == fence.term()) {
                    it.remove();
                    c.believed = 0;
                    news.add(c.tell(false, Fence.NONE));
                    waiting.addLast(c);
                }
            }
            promote(news);
        }
        news.forEach(Runnable::run);
    }

    /** Ends the current term without telling its holder; the next candidate in line leads the next one. */
    void depose() {
        List<Runnable> news = new ArrayList<>();
        synchronized (lock) {
            if (holder == null) {
                throw new IllegalStateException("nobody leads term " + term + ", so nobody can be deposed");
            }
            deposed.add(holder); // still believes it leads
            holder = null; // with nobody leading, every fenced write is refused until the next term
            promote(news);
        }
        news.forEach(Runnable::run);
    }

    // Called under lock; the listener calls it collects run after the lock is released.
    private void promote(List<Runnable> news) {
        if (holder != null || waiting.isEmpty()) {
            return;
        }
        holder = waiting.removeFirst();
        term++;
        holder.believed = term;
        news.add(holder.tell(true, new Fence(term)));
    }

    private final class Candidate implements LeaderElection {
        private final String name;
        private Listener listener; // guarded by lock
        private long believed;     // the term this candidate thinks it leads, 0 for none; guarded by lock
        private boolean closed;    // guarded by lock

        Candidate(String name) {
            this.name = name;
        }

        @Override
        public void start(Listener l) {
            Objects.requireNonNull(l, "listener");
            List<Runnable> news = new ArrayList<>();
            synchronized (lock) {
                if (listener != null || closed) {
                    throw new IllegalStateException("the leader election was already started or closed");
                }
                listener = l;
                waiting.addLast(this);
                promote(news);
            }
            news.forEach(Runnable::run);
        }

        @Override
        public boolean isLeader() {
            synchronized (lock) {
                return believed != 0;
            }
        }

        @Override
        public Fence fence() {
            synchronized (lock) {
                return believed == 0 ? Fence.NONE : new Fence(believed);
            }
        }

        @Override
        public String holder() {
            return name;
        }

        @Override
        public void close() {
            List<Runnable> news = new ArrayList<>();
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                waiting.remove(this);
                deposed.remove(this);
                if (believed != 0) {
                    believed = 0;
                    news.add(tell(false, Fence.NONE));
                }
                if (holder == this) {
                    holder = null;
                    promote(news);
                }
            }
            news.forEach(Runnable::run);
        }

        // Called under lock: captures the listener now, tells it later.
        Runnable tell(boolean leading, Fence fence) {
            Listener l = listener;
            return () -> l.leadershipChanged(leading, fence);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
