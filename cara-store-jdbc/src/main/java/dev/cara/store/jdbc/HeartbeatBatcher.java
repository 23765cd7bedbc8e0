package dev.cara.store.jdbc;

import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.UnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Coalesces status writes (heartbeats) per node and hands them to the store in one batch per flush
 * window.
 *
 * <p><b>How an atomic mutation survives batching.</b> A mutation is applied at once to the latest
 * version of the node this replica knows: its own pending result if there is one, else the
 * {@code confirmed} row (kept fresh by this replica's writes and by every change-feed read), else a
 * row read from the database. The caller gets that result back, acknowledged before the flush. The
 * pending entry keeps every mutation since the row it was computed on ({@link Pending#steps}). At
 * flush time the store writes the precomputed result only when the row is still the one it was
 * computed on; otherwise it applies the steps again, in order, to the current row (mutations are
 * side-effect-free functions, so running them again is allowed), all while the flush transaction
 * holds the revision lock, so nothing can change the row in between. A write from another replica
 * is therefore never overwritten, and the last heartbeat per node wins.
 *
 * <p><b>Threads and ownership.</b> {@code pending} and {@code confirmed} are concurrent maps of
 * immutable values, replaced with compare-and-set ({@code replace}/{@code compute}) so heartbeat
 * threads need no lock. An entry leaves {@code pending} only once its write has committed and
 * {@code confirmed} holds the row (read-your-writes on this replica). {@code flushLock} makes flushes
 * one at a time (the flusher thread, or a reader that needs its own writes visible).
 * {@code lastFailure} is written under {@code flushLock}; {@code dropped} only grows.
 */
final class HeartbeatBatcher {
    private static final Logger LOG = Logger.getLogger(HeartbeatBatcher.class.getName());
    /** A pending entry computed on a base whose revision is not known: always replay at flush. */
    static final long UNKNOWN_BASE = -1;
    /**
     * Mutations kept per node across failed flushes while the database is unreachable; older ones are
     * dropped (they are heartbeats, and the newest carry the newest facts). Within a window nothing
     * is dropped.
     */
    private static final int MAX_STEPS = 32;

    /** One status mutation and the fence term it was written under ({@code 0}: unfenced). */
    record Step(Function<Node, NodeStatus> mutation, long fenceTerm) {
    }

    /**
     * What is waiting to be written for one node.
     *
     * @param baseRevision the revision of the row {@code result} was computed on, or {@link #UNKNOWN_BASE}
     * @param result       the node after every step, as acknowledged to callers
     * @param steps        the mutations since {@code baseRevision}'s row, oldest first
     */
    record Pending(long baseRevision, Node result, List<Step> steps) {
    }

    /** The outcome of a flush for the store to write: entries in the order drained. */
    interface Writer {
        Map<String, StoredRow> write(List<Map.Entry<String, Pending>> batch);
    }

    private final ConcurrentHashMap<String, StoredRow> confirmed = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final Writer writer;
    private final LongAdder dropped = new LongAdder();
    private volatile UnavailableException lastFailure;

    HeartbeatBatcher(Writer writer) {
        this.writer = writer;
    }

    /** The latest version of a node this replica knows, loading it from the database if need be. */
    Node latest(String name, Supplier<StoredRow> loader) {
        Pending p = pending.get(name);
        if (p != null) {
            return p.result();
        }
        return confirmedOrLoad(name, loader).node();
    }

    /**
     * Applies a mutation to the latest known node and queues the result for the next flush.
     *
     * @return the node with the mutation applied, as acknowledged
     * @throws UnavailableException when the last flush failed (the database is down): the caller
     *                              should hear so rather than be acknowledged into a growing queue
     */
    Node enqueue(String name, Function<Node, NodeStatus> mutation, long fenceTerm, Supplier<StoredRow> loader) {
        UnavailableException failure = lastFailure;
        if (failure != null) {
            throw new UnavailableException(failure.getMessage(), failure);
        }
        while (true) {
            Pending p = pending.get(name);
            Node base;
            long baseRevision;
            if (p != null) {
                base = p.result();
                baseRevision = p.baseRevision();
            } else {
                StoredRow row = confirmedOrLoad(name, loader);
                base = row.node();
                baseRevision = row.revision();
            }
            NodeStatus next = mutation.apply(base);
            if (next == base.status()) {
                return base; // nothing to write
            }
            Node result = base.withStatus(next);
            List<Step> steps = append(p == null ? List.of() : p.steps(), new Step(mutation, fenceTerm));
            Pending np = new Pending(baseRevision, result, steps);
            if (p == null ? pending.putIfAbsent(name, np) == null : pending.replace(name, p, np)) {
                return result;
            }
            // Another heartbeat for the same node got in first: apply ours on top of it.
        }
    }

    Optional<Node> pendingNode(String name) {
        Pending p = pending.get(name);
        return p == null ? Optional.empty() : Optional.of(p.result());
    }

    boolean hasPending(String name) {
        return pending.containsKey(name);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    int pendingCount() {
        return pending.size();
    }

    /** The row this replica last saw written for a node, if it keeps one. */
    StoredRow confirmed(String name) {
        return confirmed.get(name);
    }

    /** Records a row this replica wrote or read, unless a newer one is already known. */
    void remember(String name, StoredRow row) {
        confirmed.compute(name, (k, old) -> old == null || old.revision() < row.revision() ? row : old);
    }

    /** Refreshes a kept row from the change feed; nodes this replica never touched stay out of memory. */
    void observe(String name, StoredRow row) {
        confirmed.computeIfPresent(name, (k, old) -> old.revision() < row.revision() ? row : old);
    }

    /** Drops the kept row of a node deleted elsewhere; the next write reads it again. */
    void evict(String name) {
        confirmed.remove(name);
    }

    /** Forgets a deleted node. */
    void forget(String name) {
        confirmed.remove(name);
        pending.remove(name);
    }

    /** Whether the last flush failed; cleared by the next one that succeeds. */
    Optional<UnavailableException> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** Heartbeats acknowledged and then given up on, because writing them failed even alone. */
    long dropped() {
        return dropped.sum();
    }

    /**
     * Writes everything pending in one batch. Entries stay pending, and so visible to this
     * replica's reads, until their write has committed; a heartbeat that arrives meanwhile builds on
     * them and stays pending for the next flush.
     *
     * <p>A batch that fails for any reason but an outage is written again in halves, down to single
     * entries, so one entry that cannot be written (a mutation that throws on the current row)
     * costs only itself: it is dropped, logged and counted in {@link #dropped()}.
     *
     * @throws UnavailableException when the database cannot be reached; the batch stays queued
     */
    void flush() {
        if (pending.isEmpty() && lastFailure == null) {
            return;
        }
        flushLock.lock();
        try {
            List<Map.Entry<String, Pending>> batch = new ArrayList<>(pending.size());
            pending.forEach((name, p) -> batch.add(Map.entry(name, p)));
            if (batch.isEmpty()) {
                lastFailure = null;
                return;
            }
            try {
                writeInHalvesOnFailure(batch);
            } catch (UnavailableException e) {
                lastFailure = e;
                trimSteps(batch);
                throw e;
            }
            lastFailure = null;
        } finally {
            flushLock.unlock();
        }
    }

    private void writeInHalvesOnFailure(List<Map.Entry<String, Pending>> batch) {
        Map<String, StoredRow> written;
        try {
            written = writer.write(batch);
        } catch (UnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                drop(batch.getFirst(), e);
                return;
            }
            LOG.log(Level.WARNING, "a heartbeat batch of " + batch.size() + " could not be written; writing it again in halves", e);
            int half = batch.size() / 2;
            writeInHalvesOnFailure(batch.subList(0, half));
            writeInHalvesOnFailure(batch.subList(half, batch.size()));
            return;
        }
        for (Map.Entry<String, Pending> e : batch) {
            settle(e.getKey(), e.getValue(), written.get(e.getKey()));
        }
    }

    /**
     * After {@code flushed} was written as {@code row} (or needed no write: {@code null}): the
     * confirmed row first, then the pending entry goes, so a read always finds the newest
     * acknowledged status in one of them. A newer entry built on {@code flushed} keeps only its own
     * steps.
     */
    private void settle(String name, Pending flushed, StoredRow row) {
        if (row != null) {
            remember(name, row);
        }
        // The newer entry's result was computed on flushed.result(): a valid base only if that is what was written.
        long base = row != null && row.node().equals(flushed.result()) ? row.revision() : UNKNOWN_BASE;
        pending.computeIfPresent(name, (k, current) -> current == flushed ? null : rebase(current, flushed, base));
    }

    private void drop(Map.Entry<String, Pending> entry, RuntimeException cause) {
        dropped.increment();
        LOG.log(Level.SEVERE, "an acknowledged heartbeat for node \"" + entry.getKey() + "\" could not be written "
                + "and is dropped (" + dropped.sum() + " dropped so far)", cause);
        Pending p = entry.getValue();
        pending.computeIfPresent(entry.getKey(), (k, current) -> current == p ? null : rebase(current, p, UNKNOWN_BASE));
    }

    /** {@code current} without the steps of {@code done}, which it was built on, computed on {@code base}. */
    private static Pending rebase(Pending current, Pending done, long base) {
        List<Step> steps = current.steps();
        List<Step> doneSteps = done.steps();
        boolean builtOnDone = steps.size() > doneSteps.size();
        for (int i = 0; builtOnDone && i < doneSteps.size(); i++) {
            builtOnDone = steps.get(i) == doneSteps.get(i);
        }
        if (!builtOnDone) {
            return new Pending(UNKNOWN_BASE, current.result(), steps); // not derived from it: replay it all
        }
        return new Pending(base, current.result(), List.copyOf(steps.subList(doneSteps.size(), steps.size())));
    }

    /** After a failed flush: entries keep their newest {@link #MAX_STEPS} steps while the database is away. */
    private void trimSteps(List<Map.Entry<String, Pending>> batch) {
        for (Map.Entry<String, Pending> e : batch) {
            pending.computeIfPresent(e.getKey(), (k, current) -> current.steps().size() <= MAX_STEPS ? current
                    : new Pending(UNKNOWN_BASE, current.result(), trim(current.steps())));
        }
    }

    /** For tests: takes {@code flushLock} until the handle is closed (by the same thread), so no flush runs meanwhile. */
    AutoCloseable holdFlushes() {
        flushLock.lock();
        return flushLock::unlock;
    }

    /** Applies steps in order to a row's node; the same instance back means no step changed anything. */
    static Node replay(List<Step> steps, Node base) {
        Node n = base;
        for (Step s : steps) {
            NodeStatus next = s.mutation().apply(n);
            if (next != n.status()) {
                n = n.withStatus(next);
            }
        }
        return n;
    }

    private StoredRow confirmedOrLoad(String name, Supplier<StoredRow> loader) {
        StoredRow row = confirmed.get(name);
        if (row == null) {
            row = loader.get();
            remember(name, row);
        }
        return row;
    }

    private static List<Step> append(List<Step> steps, Step step) {
        List<Step> out = new ArrayList<>(steps.size() + 1);
        out.addAll(steps);
        out.add(step);
        return List.copyOf(out); // never trimmed here: replaying a partial list would lose writes
    }

    private static List<Step> trim(List<Step> steps) {
        return List.copyOf(steps.size() <= MAX_STEPS ? steps : steps.subList(steps.size() - MAX_STEPS, steps.size()));
    }
}
