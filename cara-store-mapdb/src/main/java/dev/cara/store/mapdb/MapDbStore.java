package dev.cara.store.mapdb;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.ChangeHistory;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreRules;
import org.mapdb.Atomic;
import org.mapdb.DB;
import org.mapdb.HTreeMap;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.nio.file.Path;

/**
 * The embedded, durable {@link NodeStore}: every node in one MapDB file, and a copy of every node in
 * the heap so that reads and heartbeats never touch the disk. Open it with {@link #builder()} or the
 * URL {@code mapdb:PATH}.
 *
 * <h2>Durability</h2>
 * {@link #create}, {@link #update} and {@link #delete} commit (write-ahead log, then {@code msync})
 * before they return, so what they acknowledged survives {@code kill -9}. Concurrent spec writes share
 * commits (group commit, below): each still gets its own revision and its own outcome, but a commit
 * costs the same for one write as for thousands, so concurrent registrations are not limited to one
 * commit each. {@link #updateStatus}
 * (heartbeats) only changes the heap copy and marks the node dirty; a committer thread writes the
 * dirty nodes in one commit every {@link Builder#statusFlushInterval} (100 ms by default), or sooner
 * when {@link Builder#statusFlushCount} nodes are dirty. A crash loses at most the status writes of
 * the last flush window, which the heartbeat monitor's restart grace makes harmless: every node gets a
 * full timeout after a restart anyway.
 *
 * <h2>Revisions across restarts</h2>
 * The revision counter itself is not committed on every heartbeat. Instead each commit records a
 * ceiling {@value #REVISION_BLOCK} above the current revision, no revision is ever handed out above
 * the committed ceiling, and a reopened store continues from the ceiling. So revisions (and with them
 * resourceVersions) keep growing across restarts and crashes and are never reused; a clean close
 * records the exact revision, so only a crash leaves a gap. The change history lives in the heap and
 * starts empty at each open: {@link #changesSince} a revision from before the open throws
 * {@link HistoryGoneException}.
 *
 * <h2>Threads and ownership</h2>
 * Two locks, always taken in this order:
 * <ul>
 *   <li>{@code diskLock} owns the MapDB file: every MapDB write is followed by a commit or a rollback
 *       under it, so no uncommitted change from one writer can be committed by another. Spec-write
 *       batches and status flushes hold it, so they never overlap and the file only moves forward.
 *       It also guards the outcome fields of queued spec writes.</li>
 *   <li>{@code writeLock} owns the heap state: {@code nodes} (published under it, read without it),
 *       the change history, {@code revision}, {@code durableCeiling} and {@code dirty}. A spec-write
 *       batch holds it from evaluation through its commit to publication, so nothing is visible
 *       before it is durable. A status write holds it only to check that the node it mutated is
 *       still current and to publish: the mutation runs before, without it, and nothing on the status
 *       path serializes a record or touches the file. It never waits for a status flush, only for the
 *       one spec-write batch commit in progress, if any.</li>
 * </ul>
 * {@code dirty} maps each node with uncommitted status writes to its latest one. Status writes put
 * into it; a status flush or spec-write batch swaps it for an empty map under writeLock and then
 * serializes and writes what it took without writeLock (but holding diskLock, so no spec write can
 * overtake it). A failed commit puts back what it took, unless a newer status write is there already.
 * {@code dirtyCount} mirrors its size for {@link #pendingStatusWrites()} and the early-flush check.
 * Each flush and each batch owns the {@code NodeRecords.Writer} it serializes with.
 * <p>
 * <b>Group commit.</b> A spec write does not commit by itself: its caller adds it to
 * {@code specQueue} (lock-free) and then tries to take {@code diskLock}. The thread that gets it takes
 * up to {@link #MAX_BATCH} queued writes, evaluates them in order against the heap plus the earlier
 * writes of the same batch (so compare-and-set, AlreadyExists and NotFound see them; a failed write
 * takes no revision and does not fail the others), writes the survivors and the pending status writes
 * in one commit, publishes them in order, then marks every write of the batch done and wakes its
 * caller. A caller that finds {@code diskLock} taken parks; every release of {@code diskLock} wakes the
 * caller at the head of the queue to commit the next batch. So while one commit runs, the next batch
 * gathers behind it, and an idle store commits a lone write at once. No caller returns before the
 * commit holding its write returned, and no reader sees the write before then.
 * <p>
 * The holder of {@code diskLock} hands each batch of MapDB writes plus its commit to one thread,
 * {@code cara-mapdb-io}, and waits for it: MapDB's file channels must never see an interrupted thread.
 */
public final class MapDbStore implements NodeStore {
    private static final Logger LOG = Logger.getLogger(MapDbStore.class.getName());

    /** How far above the current revision each commit sets the ceiling that a reopened store starts from. */
    static final long REVISION_BLOCK = 1_000_000;

    /**
     * The most spec writes one commit takes. It bounds the time writeLock is held (status writes wait
     * for it) and the heap a batch needs; under a flood of writes, batches follow each other at once.
     */
    static final int MAX_BATCH = 4_096;

    private final Path file;
    private final String description;
    private final DB db;
    private final HTreeMap<String, byte[]> disk;
    private final Atomic.Long diskCeiling;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final int statusFlushCount;

    private final ReentrantLock diskLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentHashMap<String, Node> nodes;
    // Guarded by writeLock: the nodes whose status writes are not committed yet, each with the node as
    // its latest status write left it. A flush or spec-write batch takes the whole map (takeDirty) and
    // leaves an empty one; dirtyCount mirrors its size for readers without the lock.
    private HashMap<String, Node> dirty = new HashMap<>();
    private volatile int dirtyCount;
    // Spec writes waiting for a commit: callers add, the holder of diskLock takes.
    private final ConcurrentLinkedQueue<SpecWrite> specQueue = new ConcurrentLinkedQueue<>();
    // Commits of spec-write batches, for tests that check that concurrent writes share commits.
    private final AtomicLong specCommits = new AtomicLong();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    // Guarded by writeLock.
    private final ChangeHistory history;
    private long revision;
    private long durableCeiling;
    private volatile boolean closed;
    // The last background flush's failure, cleared by the next success: checkHealth reports it.
    private volatile RuntimeException flushFailure;

    // Every MapDB call that writes runs on this one thread. A thread interrupted inside FileChannel I/O
    // closes the channel (ClosedByInterruptException) and leaves MapDB unusable; callers' threads can be
    // interrupted (request timeouts, executor shutdowns), this one never is.
    private final ExecutorService diskIo;
    private final ScheduledExecutorService committer; // null when flushes are manual
    private final Thread shutdownHook;                 // null when the owner closes the store

    MapDbStore(MapDbFiles.Opened opened, Builder b) {
        this.file = opened.file();
        this.description = "mapdb:" + file;
        this.db = opened.db();
        this.disk = opened.disk();
        this.diskCeiling = opened.ceiling();
        this.lockChannel = opened.lockChannel();
        this.lock = opened.lock();
        this.nodes = opened.nodes();
        this.statusFlushCount = b.statusFlushCount;
        this.revision = opened.ceiling().get();
        this.durableCeiling = revision;
        // The history starts at the open; revisions before it (and before a crash gap) are gone.
        this.history = ChangeHistory.startingAt(revision, b.history);
        this.diskIo = Executors.newSingleThreadExecutor(r -> daemon(r, "cara-mapdb-io"));
        if (b.statusFlushInterval.isZero()) {
            this.committer = null;
        } else {
            this.committer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cara-mapdb-committer"));
            long nanos = b.statusFlushInterval.toNanos();
            committer.scheduleWithFixedDelay(this::backgroundFlush, nanos, nanos, TimeUnit.NANOSECONDS);
        }
        if (b.shutdownHook) {
            this.shutdownHook = new Thread(this::closeFromHook, "cara-mapdb-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A builder for a store at an explicit path: {@code MapDbStore.builder().path(p).open()}. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- spec writes: durable on return

    @Override
    public Node create(Node node) {
        Objects.requireNonNull(node, "node");
        String name = node.name();
        return writeDurably((view, next) -> {
            if (view.apply(name) != null) {
                throw new AlreadyExistsException(name);
            }
            Node stored = node.withMetadata(node.metadata().withResourceVersion(Long.toString(next)));
            return new Staged(name, stored, Change.Type.ADDED, stored);
        });
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        return writeDurably((view, next) -> {
            Node current = require(view, name);
            Node stored = StoreRules.update(current, expectedResourceVersion, mutation, Long.toString(next));
            return new Staged(name, stored, Change.Type.MODIFIED, stored);
        });
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        return writeDurably((view, next) -> {
            Node current = require(view, name);
            StoreRules.checkVersion(current, expectedResourceVersion);
            return new Staged(name, null, Change.Type.DELETED, current);
        });
    }

    /**
     * One spec write, evaluated by whichever thread commits its batch: given the nodes as the earlier
     * writes of the batch left them (null: absent) and the revision it gets if it succeeds, it returns
     * what to store, or throws (AlreadyExists, NotFound, Conflict, or the caller's mutation failing).
     */
    @FunctionalInterface
    private interface SpecOp {
        Staged apply(Function<String, Node> view, long next);
    }

    /** What a successful spec write stores ({@code stored} null: removed) and publishes. */
    private record Staged(String name, Node stored, Change.Type type, Node changed) {
    }

    /**
     * A queued spec write and its outcome. The outcome is written by the thread that commits the
     * batch before it sets the volatile {@code done}, so the waiter sees it once it sees {@code done}.
     */
    private static final class SpecWrite {
        final SpecOp op;
        final Thread waiter = Thread.currentThread();
        Node result;
        Throwable failure;
        volatile boolean done;

        SpecWrite(SpecOp op) {
            this.op = op;
        }
    }

    /**
     * Group commit. The caller queues its write and tries to take diskLock. If it gets it, it commits a
     * batch: everything queued (up to {@link #MAX_BATCH}), its own write included. If not, another
     * thread is committing, and the caller parks until its write is done or it is woken to commit the
     * next batch itself: whoever releases diskLock wakes the waiter at the head of the queue (see
     * {@link #unlockDisk}). So while one commit runs the next batch gathers behind it, an idle store
     * commits a lone write at once, and waiters never queue on diskLock itself: a waiter whose write is
     * done returns without taking it.
     */
    private Node writeDurably(SpecOp op) {
        ensureOpen();
        SpecWrite write = new SpecWrite(op);
        specQueue.add(write);
        boolean interrupted = false;
        while (!write.done) {
            if (diskLock.tryLock()) {
                try {
                    commitQueued(); // our write is in this batch unless MAX_BATCH others were ahead of it
                } finally {
                    unlockDisk();
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

    /**
     * Releases diskLock and wakes the oldest queued spec write's thread to commit the queue. Every
     * release of diskLock goes through here: a writer that found diskLock taken parked after queuing,
     * so the holder (spec batch, status flush or close) must hand the queue on when it lets go.
     */
    private void unlockDisk() {
        diskLock.unlock();
        SpecWrite head = specQueue.peek();
        if (head != null) {
            LockSupport.unpark(head.waiter);
        }
    }

    /**
     * Called with diskLock held. Takes a batch from the queue, evaluates each write in order against
     * the heap state plus the batch's earlier writes (each success takes the next revision), commits
     * them together with the pending status writes, and only then publishes them. writeLock is held
     * throughout, so no status write can change a node between evaluation and publication, and no
     * reader sees a write before its commit returned. If the commit fails, every write of the batch
     * that would have succeeded fails with it and nothing is published.
     */
    private void commitQueued() {
        List<SpecWrite> batch = new ArrayList<>();
        for (SpecWrite w; batch.size() < MAX_BATCH && (w = specQueue.poll()) != null; ) {
            batch.add(w);
        }
        writeLock.lock();
        try {
            if (closed) {
                IllegalStateException closedError = new IllegalStateException("the store " + description + " is closed");
                batch.forEach(w -> w.failure = closedError);
                return;
            }
            Map<String, Node> staged = new HashMap<>();     // name -> node as the batch leaves it; null: deleted
            Map<String, byte[]> records = new HashMap<>();  // the same, serialized; null: remove from the file
            NodeRecords.Writer writer = new NodeRecords.Writer();
            Function<String, Node> view = name -> staged.containsKey(name) ? staged.get(name) : nodes.get(name);
            List<Change> changes = new ArrayList<>();
            List<SpecWrite> succeeded = new ArrayList<>();
            long next = revision;
            for (SpecWrite w : batch) {
                try {
                    Staged s = w.op.apply(view, next + 1);
                    byte[] record = s.stored() == null ? null : writer.record(s.stored());
                    next++;
                    staged.put(s.name(), s.stored());
                    records.put(s.name(), record);
                    changes.add(new Change(next, s.type(), s.changed()));
                    w.result = s.changed();
                    succeeded.add(w);
                } catch (RuntimeException | Error e) {
                    w.failure = e; // this write only: the others of the batch go on
                }
            }
            if (changes.isEmpty()) {
                return; // every write failed its check: nothing to commit
            }
            // Fold the pending status writes into this commit: it costs one msync either way, and the
            // heap copy is current because we hold writeLock. A node this batch writes is left to the
            // batch's record, which already carries its latest status.
            Map<String, Node> drained = takeDirty();
            Map<String, byte[]> statusRecords = new HashMap<>();
            for (Map.Entry<String, Node> e : drained.entrySet()) {
                if (!staged.containsKey(e.getKey())) {
                    statusRecords.put(e.getKey(), writer.record(e.getValue()));
                }
            }
            long ceiling = Math.max(durableCeiling, next + REVISION_BLOCK);
            try {
                onDiskThread(() -> {
                    disk.putAll(statusRecords);
                    for (Map.Entry<String, byte[]> e : records.entrySet()) {
                        if (e.getValue() == null) {
                            disk.remove(e.getKey());
                        } else {
                            disk.put(e.getKey(), e.getValue());
                        }
                    }
                    diskCeiling.set(ceiling);
                    db.commit();
                });
            } catch (RuntimeException e) {
                restoreDirty(drained);
                for (SpecWrite w : succeeded) {
                    w.result = null;
                    w.failure = e;
                }
                return;
            }
            specCommits.incrementAndGet();
            durableCeiling = ceiling;
            for (Change c : changes) {
                publish(c.revision(), c.type(), c.node());
            }
        } finally {
            writeLock.unlock();
            for (SpecWrite w : batch) {
                w.done = true;
                LockSupport.unpark(w.waiter);
            }
        }
    }

    /**
     * Called with writeLock held. Takes the pending status writes and leaves none: a status write that
     * lands later goes to the fresh map. O(1): the caller iterates what it took without any lock, since
     * no writer can reach the old map once it is swapped out under writeLock.
     */
    private Map<String, Node> takeDirty() {
        HashMap<String, Node> taken = dirty;
        if (taken.isEmpty()) {
            return Map.of();
        }
        dirty = new HashMap<>(Math.max(16, taken.size() * 2));
        dirtyCount = 0;
        return taken;
    }

    /**
     * After a failed commit: marks the nodes it carried dirty again, unless a later status write
     * already did (with a newer node). No spec write can have changed them meanwhile: the caller
     * holds diskLock, which every spec write needs.
     */
    private void restoreDirty(Map<String, Node> taken) {
        writeLock.lock(); // reentrant: a spec-write batch already holds it
        try {
            taken.forEach(dirty::putIfAbsent);
            dirtyCount = dirty.size();
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Node> get(String name) {
        ensureOpen();
        return Optional.ofNullable(nodes.get(name));
    }

    @Override
    public Snapshot list() {
        writeLock.lock();
        try {
            ensureOpen();
            return new Snapshot(revision, new ArrayList<>(new TreeMap<>(nodes).values()));
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- status writes: the hot path

    /**
     * Optimistic: the mutation runs on the node as read without any lock, and writeLock is held only
     * to check that the node is still that very instance and to publish the result (a revision, the
     * change history, the heap copy and the dirty mark: no I/O, no serialization). If a write landed in
     * between, the mutation runs again on the new node, as the SPI allows; with heartbeats for
     * different nodes that is rare.
     */
    @Override
    public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        while (true) {
            ensureOpen();
            Node current = require(name);
            NodeStatus next = Objects.requireNonNull(mutation.apply(current), "mutation result");
            if (next == current.status()) {
                return current; // the mutation changed nothing: no write, no revision
            }
            Node stored = current.withStatus(next);
            boolean needCeiling = false;
            int pending;
            writeLock.lock();
            try {
                ensureOpen();
                if (nodes.get(name) != current) {
                    continue; // changed (or deleted) since we read it: run the mutation again
                }
                if (revision >= durableCeiling) {
                    needCeiling = true; // no committed ceiling covers another revision yet: flush first
                } else {
                    publish(revision + 1, Change.Type.MODIFIED, stored);
                    dirty.put(name, stored);
                    dirtyCount = dirty.size();
                }
                pending = dirtyCount;
            } finally {
                writeLock.unlock();
            }
            if (needCeiling) {
                flush();
                continue;
            }
            if (pending >= statusFlushCount) {
                requestFlush();
            }
            return stored;
        }
    }

    /**
     * Commits every pending status write now. The committer calls this on its schedule; call it
     * yourself when the store was built with a zero flush interval.
     *
     * @throws UnavailableException if the file cannot be written
     */
    public void flush() {
        diskLock.lock();
        try {
            ensureOpen();
            flushHoldingDiskLock(false);
        } finally {
            unlockDisk();
        }
    }

    /** How many commits spec writes have paid for since the open (each may carry a batch of them). */
    long specCommits() {
        return specCommits.get();
    }

    /** How many spec writes are queued for the next batch, for tests that build a batch on purpose. */
    int queuedSpecWrites() {
        return specQueue.size();
    }

    /**
     * For tests: holds diskLock, as a commit in progress would, until the returned handle is closed by
     * the same thread. Spec writes made meanwhile queue up, and the close hands them on as one batch.
     */
    AutoCloseable holdCommits() {
        diskLock.lock();
        return this::unlockDisk;
    }

    /** How many nodes have status writes that are not committed yet. */
    public int pendingStatusWrites() {
        return dirtyCount;
    }

    // Called with diskLock held. finalFlush records the exact revision instead of a ceiling above it.
    private void flushHoldingDiskLock(boolean finalFlush) {
        Map<String, Node> taken;
        long rev;
        long ceilingNow;
        writeLock.lock();
        try {
            taken = takeDirty();
            rev = revision;
            ceilingNow = durableCeiling;
        } finally {
            writeLock.unlock();
        }
        boolean ceilingLow = ceilingNow - rev < REVISION_BLOCK / 2;
        if (taken.isEmpty() && !ceilingLow && !finalFlush) {
            return; // nothing to write: no commit, no fsync
        }
        long ceiling = finalFlush ? rev : Math.max(ceilingNow, rev + REVISION_BLOCK);
        // Serialized here, outside writeLock: status writes go on meanwhile (into the fresh dirty map).
        // Each taken node is the latest status write of its node as of the take, and no spec write can
        // run now (we hold diskLock), so nothing written here is older than what the file holds.
        String[] names = new String[taken.size()];
        byte[][] records = new byte[taken.size()][];
        NodeRecords.Writer writer = new NodeRecords.Writer();
        int i = 0;
        for (Map.Entry<String, Node> e : taken.entrySet()) {
            names[i] = e.getKey();
            records[i] = writer.record(e.getValue());
            i++;
        }
        try {
            onDiskThread(() -> {
                for (int k = 0; k < names.length; k++) {
                    disk.put(names[k], records[k]);
                }
                diskCeiling.set(ceiling);
                db.commit();
            });
        } catch (RuntimeException e) {
            restoreDirty(taken);
            throw e;
        }
        if (!finalFlush) {
            writeLock.lock();
            try {
                durableCeiling = Math.max(durableCeiling, ceiling);
            } finally {
                writeLock.unlock();
            }
        }
    }

    private void requestFlush() {
        if (committer == null) {
            flush();
        } else if (flushQueued.compareAndSet(false, true)) {
            try {
                committer.execute(() -> {
                    flushQueued.set(false);
                    backgroundFlush();
                });
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                flushQueued.set(false); // close() flushes everything anyway
            }
        }
    }

    private void backgroundFlush() {
        try {
            if (!closed) {
                flush();
                flushFailure = null;
            }
        } catch (IllegalStateException closedMeanwhile) {
            // close() ran between the check and the flush, and flushed everything itself
        } catch (RuntimeException e) {
            flushFailure = e;
            LOG.log(Level.WARNING, description + ": could not commit status writes; will retry", e);
        }
    }

    // ---------------------------------------------------------------- the change feed

    // Called with writeLock held.
    private void publish(long next, Change.Type type, Node node) {
        history.append(new Change(next, type, node));
        revision = next;
        if (type == Change.Type.DELETED) {
            nodes.remove(node.name());
        } else {
            nodes.put(node.name(), node);
        }
    }

    @Override
    public long revision() {
        writeLock.lock();
        try {
            return revision;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        writeLock.lock();
        try {
            ensureOpen();
            return history.since(afterRevision, limit);
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void checkHealth() {
        ensureOpen();
        if (db.isClosed()) {
            throw new UnavailableException(description + " is closed");
        }
        RuntimeException failure = flushFailure;
        if (failure != null) {
            throw new UnavailableException(description + ": heartbeats are not being committed: "
                    + failure.getMessage(), failure);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** The store file. */
    public Path file() {
        return file;
    }

    /** Commits every pending status write, records the exact revision, and releases the file. */
    @Override
    public void close() {
        closeInternal();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook finds the store closed and does nothing
            }
        }
    }

    private void closeFromHook() {
        try {
            closeInternal();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, description + ": could not flush on shutdown", e);
        }
    }

    private void closeInternal() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (committer != null) {
            committer.shutdown(); // not shutdownNow: a flush in progress must finish, not be interrupted
            try {
                committer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        diskLock.lock();
        try {
            writeLock.lock();
            try {
                closed = true; // from here no write reaches the heap, so the final flush sees them all
            } finally {
                writeLock.unlock();
            }
            try {
                flushHoldingDiskLock(true);
            } finally {
                onDiskThread(db::close);
                diskIo.shutdown();
            }
        } finally {
            unlockDisk(); // queued writes now fail: the store is closed
            MapDbFiles.release(lock, lockChannel);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Runs MapDB writes and their commit on the disk thread and waits for them, even if this thread is
     * interrupted meanwhile (the interrupt is kept for the caller). On failure it rolls the transaction
     * back, so that nothing half-written is committed later by someone else.
     */
    private void onDiskThread(Runnable writes) {
        Future<?> done;
        try {
            done = diskIo.submit(() -> {
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
                + "); check free disk space and permissions of " + file.toAbsolutePath().getParent(), cause);
    }

    private Node require(String name) {
        return require(nodes::get, name);
    }

    private static Node require(Function<String, Node> view, String name) {
        Node current = view.apply(name);
        if (current == null) {
            throw new NotFoundException(name);
        }
        return current;
    }


    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store " + description + " is closed");
        }
    }

    /**
     * Settings of a {@link MapDbStore}. Each setter checks its value at once and may be called once.
     */
    public static final class Builder {
        private Path path;
        private Duration statusFlushInterval = Duration.ofMillis(100);
        private int statusFlushCount = 10_000;
        private int history = 100_000;
        private boolean shutdownHook = true;
        private final Set<String> set = new java.util.HashSet<>();

        private Builder() {
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        /** The store file; its directory is created if missing. Required. */
        public Builder path(Path value) {
            once("path");
            this.path = Objects.requireNonNull(value, "path");
            return this;
        }

        /**
         * How often pending status writes (heartbeats) are committed: the most a crash can lose.
         * 100 ms by default. {@link Duration#ZERO} means no committer thread: status writes are
         * committed by {@link #flush()}, when {@link #statusFlushCount} is reached, and on close.
         */
        public Builder statusFlushInterval(Duration value) {
            once("statusFlushInterval");
            if (value.isNegative()) {
                throw new IllegalArgumentException("statusFlushInterval must not be negative, was " + value);
            }
            this.statusFlushInterval = value;
            return this;
        }

        /** Commit status writes early once this many nodes have pending ones. 10,000 by default. */
        public Builder statusFlushCount(int value) {
            once("statusFlushCount");
            if (value < 1) {
                throw new IllegalArgumentException("statusFlushCount must be at least 1, was " + value);
            }
            this.statusFlushCount = value;
            return this;
        }

        /** How many recent changes {@link #changesSince} keeps. 100,000 by default. */
        public Builder history(int value) {
            once("history");
            if (value < 1) {
                throw new IllegalArgumentException("history must be at least 1, was " + value);
            }
            this.history = value;
            return this;
        }

        /**
         * Whether the store registers a JVM shutdown hook that closes (and so flushes) it. True by
         * default; turn it off when the owner closes the store on its own shutdown path.
         */
        public Builder shutdownHook(boolean value) {
            once("shutdownHook");
            this.shutdownHook = value;
            return this;
        }

        /**
         * Opens the store, creating the file if it does not exist.
         *
         * @throws MapDbStoreException.InUse       if another process has the file open
         * @throws MapDbStoreException.Damaged     if the file cannot be read
         * @throws MapDbStoreException.NewerFormat if a newer cara wrote the file
         */
        public MapDbStore open() {
            if (path == null) {
                throw new IllegalStateException("path is required: MapDbStore.builder().path(Path.of(\"cara.db\"))");
            }
            return new MapDbStore(MapDbFiles.open(path), this);
        }
    }
}
