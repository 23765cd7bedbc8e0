package dev.cara.store.mapdb;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.MemoryEventStore;
import dev.cara.sdk.spi.TokenStore;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.spi.StoreRules;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded, durable {@link NodeStore}: every node in one MapDB file (with the store's projects,
 * tokens and events: {@link #projects()}, {@link #tokens()}, {@link #events()}), and a copy of every node in
 * the heap so that reads and heartbeats never touch the disk. Open it with {@link #builder()} or the
 * URL {@code mapdb:PATH}.
 *
 * <h2>Durability</h2>
 * {@link #create}, {@link #update} and {@link #delete} commit (write-ahead log, then {@code msync})
 * before they return, so what they acknowledged survives {@code kill -9}. Concurrent spec writes share
 * commits ({@link GroupCommit}, {@link SpecBatch}): each still gets its own revision and its own outcome, but a commit
 * costs the same for one write as for thousands, so concurrent registrations are not limited to one
 * commit each. {@link #updateStatus} (heartbeats) only changes the heap copy and marks the node dirty;
 * the {@link StatusFlusher} writes the dirty nodes in one commit (each into a record of its own,
 * rewritten in place by its record id: {@link StatusRecords}) every
 * {@link Builder#statusFlushInterval} (1 s by default), or sooner when
 * {@link Builder#statusFlushCount} nodes are dirty. A crash loses at most the status writes of the
 * last flush window, which the heartbeat monitor's restart grace makes harmless: every node gets a
 * full timeout after a restart anyway. Why 1 s: a commit costs about 2 ms of CPU however few records
 * it carries (a fresh log file, its mapping, three msyncs), so at 100 ms a fleet of 10,000 nodes paid
 * ~36 us of disk-thread CPU per heartbeat, at 1 s ~13 us (see benchmarks/README.md, fleet scale).
 * On a full disk commits fail at once with
 * {@link UnavailableException} naming the file and the cause, heartbeats are still accepted in the
 * heap, and commits succeed again once space returns ({@link DiskThread}).
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
 *   <li>the group-commit lock ({@link GroupCommit}) owns the MapDB file: every MapDB write is followed
 *       by a commit or a rollback under it, so no uncommitted change from one writer can be committed
 *       by another. Spec-write batches, status flushes and close hold it, so they never overlap and the
 *       file only moves forward. Its holder hands the writes and the commit to {@link DiskThread}.</li>
 *   <li>{@code writeLock} ({@link HeapCopy}) owns the heap state. A spec-write batch holds it from
 *       evaluation through its commit to publication, so nothing is visible before it is durable. A
 *       status write holds it only to check that the node it mutated is still current and to
 *       publish: the mutation runs before, without it, and nothing on the status path serializes a
 *       record or touches the file. It never waits for a status flush, only for the one spec-write
 *       batch commit in progress, if any.</li>
 * </ul>
 * A status flush or spec-write batch swaps the dirty map for an empty one under writeLock and then
 * serializes what it took without writeLock (but holding the group-commit lock, so no spec write can
 * overtake it). A failed commit puts back what it took, unless a newer status write is there already.
 * Each flush and each batch owns the {@code NodeRecords.Writer} it serializes with.
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
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final HeapCopy heap;
    private final DiskThread disk;
    private final GroupCommit<SpecBatch.Op, Node> commits;
    private final StatusFlusher flusher;
    private final MapDbProjectStore projects;
    private final MapDbTokenStore tokens;
    private final EventView events;
    private final SpecBatch batches;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread shutdownHook; // null when the owner closes the store

    MapDbStore(MapDbFiles.Opened opened, Builder b) {
        this.file = opened.file();
        this.description = "mapdb:" + file;
        this.lockChannel = opened.lockChannel();
        this.lock = opened.lock();
        this.heap = new HeapCopy(opened.nodes(), opened.ceiling().get(), b.history);
        this.disk = new DiskThread(opened, description, b.freeSpace);
        this.batches = new SpecBatch(heap, disk, description);
        this.commits = new GroupCommit<>(MAX_BATCH, batches);
        this.events = new EventView(opened.eventRevision().get(), opened.events(), b.events, description);
        this.flusher = new StatusFlusher(heap, events.journal(), disk, commits, description, b.statusFlushInterval, b.statusFlushCount);
        this.projects = new MapDbProjectStore(opened, commits, heap, disk, description, b.history);
        this.tokens = new MapDbTokenStore(opened, commits, disk, this::ensureOpen);
        if (b.shutdownHook) {
            this.shutdownHook = new Thread(this::closeFromHook, "cara-mapdb-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            this.shutdownHook = null;
        }
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
            return new SpecBatch.Staged(name, stored, Change.Type.ADDED, stored);
        });
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        return writeDurably((view, next) -> {
            Node current = require(view, name);
            Node stored = StoreRules.update(current, expectedResourceVersion, mutation, Long.toString(next));
            return new SpecBatch.Staged(name, stored, Change.Type.MODIFIED, stored);
        });
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        return writeDurably((view, next) -> {
            Node current = require(view, name);
            StoreRules.checkVersion(current, expectedResourceVersion);
            return new SpecBatch.Staged(name, null, Change.Type.DELETED, current);
        });
    }

    /** Queues the write for the next group commit and returns once the commit holding it returned. */
    private Node writeDurably(SpecBatch.Op op) {
        ensureOpen();
        return commits.submit(op);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Node> get(String name) {
        ensureOpen();
        return Optional.ofNullable(heap.get(name));
    }

    @Override
    public Snapshot list() {
        ensureOpen();
        return heap.list();
    }

    // ---------------------------------------------------------------- status writes: the hot path

    /**
     * Optimistic: the mutation runs on the node as read without any lock, and writeLock is held only
     * to check that the node is still that very instance and to publish the result. If a write landed
     * in between, the mutation runs again on the new node, as the SPI allows; with heartbeats for
     * different nodes that is rare.
     */
    @Override
    public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        while (true) {
            ensureOpen();
            Node current = heap.get(name); // not require(heap::get, ...): a bound reference per heartbeat
            if (current == null) {
                throw new NotFoundException(name);
            }
            NodeStatus next = Objects.requireNonNull(mutation.apply(current), "mutation result");
            if (next == current.status()) {
                return current; // the mutation changed nothing: no write, no revision
            }
            Node stored = current.withStatus(next);
            switch (heap.publishStatus(name, current, stored, description)) {
                case STALE -> {
                    // changed (or deleted) since we read it: run the mutation again
                }
                case NO_CEILING -> flusher.flush(); // its commit raises the ceiling; then try again
                case PUBLISHED -> {
                    flusher.written(heap.pendingStatusWrites());
                    return stored;
                }
            }
        }
    }

    /** The projects in the same file, durable on every write: {@link MapDbProjectStore}. */
    @Override
    public ProjectStore projects() {
        return projects;
    }

    /**
     * Commits every pending status write now. The committer calls this on its schedule; call it
     * yourself when the store was built with a zero flush interval.
     *
     * @throws UnavailableException if the file cannot be written
     */
    public void flush() {
        flusher.flush();
    }

    /** The tokens in the same file, durable on every write: {@link MapDbTokenStore}. */
    @Override
    public TokenStore tokens() {
        return tokens;
    }

    /** How many commits spec writes have paid for since the open (each may carry a batch of them). */
    long specCommits() {
        return batches.commits();
    }

    /** How many spec writes are queued for the next batch, for tests that build a batch on purpose. */
    int queuedSpecWrites() {
        return commits.queued();
    }

    /**
     * For tests: holds the group-commit lock, as a commit in progress would, until the returned handle
     * is closed by the same thread. Spec writes made meanwhile queue up, and the close hands them on as
     * one batch.
     */
    AutoCloseable holdCommits() {
        commits.lock();
        return commits::unlock;
    }

    /** How many nodes have status writes that are not committed yet. */
    public int pendingStatusWrites() {
        return heap.pendingStatusWrites();
    }

    // ---------------------------------------------------------------- the change feed

    @Override
    public long revision() {
        return heap.revision();
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        ensureOpen();
        return heap.changesSince(afterRevision, limit);
    }

    /**
     * The events in the same file. Folding, retention and the feed are the SDK's
     * {@link MemoryEventStore}, restored at open from the file's {@code events} map; its
     * {@link EventJournal} hears every write and every retention drop, and the status flush commits
     * them with the heartbeats. So a record costs no commit (a crash loses at most one flush window of
     * events, which the SPI allows), and the file never holds more than the policy keeps once that
     * flush has run. The event revision continues at each open from the latest one committed; a crash
     * can hand out again the revisions of the events it lost, which no reader kept (the feed starts
     * empty at open). Closing the returned store ends only the event view; this store's close ends it too.
     */
    @Override
    public EventStore events() {
        return events.get();
    }

    /**
     * {@link #events()}, kept by {@code policy}: the first call decides the policy (retention applies
     * at once to what the file held).
     *
     * @throws UnsupportedOperationException when the events were already handed out under another policy
     */
    @Override
    public EventStore events(EventPolicy policy) {
        return events.get(policy);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void checkHealth() {
        ensureOpen();
        if (disk.isClosed()) {
            throw new UnavailableException(description + " is closed");
        }
        RuntimeException failure = flusher.failure();
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
        flusher.stop();
        commits.lock();
        try {
            heap.markClosed();
            events.close(); // no event after the last flush: that flush writes every one recorded
            try {
                flusher.flushHoldingLock(true);
            } finally {
                disk.close();
            }
        } finally {
            commits.unlock(); // queued writes now fail: the store is closed
            MapDbFiles.release(lock, lockChannel);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Node require(Function<String, Node> view, String name) {
        Node current = view.apply(name);
        if (current == null) {
            throw new NotFoundException(name);
        }
        return current;
    }

    private void ensureOpen() {
        heap.ensureOpen(description);
    }

    /**
     * Settings of a {@link MapDbStore}. Each setter checks its value at once and may be called once.
     */
    public static final class Builder {
        private Path path;
        private Duration statusFlushInterval = Duration.ofSeconds(1);
        private int statusFlushCount = 10_000;
        private int history = 100_000;
        private EventPolicy events = EventPolicy.defaults();
        private boolean shutdownHook = true;
        private DiskThread.FreeSpace freeSpace; // null: the store file's own file system
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
         * 1 s by default. {@link Duration#ZERO} means no committer thread: status writes are
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

        /** How many recent changes {@link #changesSince} keeps, and as many project changes. 100,000 by default. */
        public Builder history(int value) {
            once("history");
            if (value < 1) {
                throw new IllegalArgumentException("history must be at least 1, was " + value);
            }
            this.history = value;
            return this;
        }

        /** How {@link #events()} folds events and how many, and how old, it keeps. {@link EventPolicy#defaults()} by default. */
        public Builder events(EventPolicy value) {
            once("events");
            this.events = Objects.requireNonNull(value, "events");
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

        /** For tests: where the store reads its file system's free space, to play a full disk without one. */
        Builder freeSpace(DiskThread.FreeSpace value) {
            once("freeSpace");
            this.freeSpace = Objects.requireNonNull(value, "freeSpace");
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
