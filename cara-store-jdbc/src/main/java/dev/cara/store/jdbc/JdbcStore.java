package dev.cara.store.jdbc;

import dev.cara.sdk.CaraException;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.EventStore;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.spi.StoreRules;
import dev.cara.sdk.spi.TokenStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link NodeStore} on PostgreSQL or MariaDB, shared by any number of cara-server replicas.
 *
 * <p><b>Schema</b> (Flyway, one migration set per dialect). {@code cara_node} keeps metadata/spec
 * ({@code meta_json}) and status ({@code status_json}) in separate columns, the
 * {@code resource_version} (revision of the last metadata/spec change) and the row's
 * {@code revision} (of its last write of any kind: the compare-and-set column). {@code cara_change}
 * is the change feed ({@link ChangeFeed}): one row per write, keyed by revision, copied from the node
 * row server-side ({@code INSERT ... SELECT}) in the same transaction. One counter row,
 * {@code cara_revision}, hands out the global revision, to nodes and to the projects that
 * {@link #projects()} keeps beside them ({@link JdbcProjectStore}, with its own tables and feed).
 *
 * <p><b>Writes</b> (this class's retry loops, {@link NodeWriter}'s SQL). Every write is a short
 * transaction that first takes the counter row's lock (and reserves its revisions), so writes commit
 * in revision order and
 * {@link #changesSince} — a primary key range scan — never misses a write that commits late. Updates
 * are optimistic: read the row, apply the mutation and encode JSON outside any transaction, then
 * write only if the row's {@code revision} is still the one read (compare-and-set), else read again
 * and retry. A spec write and a status write therefore never overwrite each other: whichever comes
 * second sees the first. A fenced write also locks the lease row and checks its term in the same
 * transaction.
 *
 * <p><b>Heartbeats</b> ({@link #updateStatus} that is not a leader's state transition) are batched:
 * see {@link HeartbeatBatcher} and {@link StatusBatchWriter}. They are acknowledged at once and
 * written together, in one statement per flush window ({@link JdbcStoreBuilder#flushWindow}, at most
 * 100 ms). Reads that must see them ({@link #list}, {@link #revision}, {@link #changesSince}) flush
 * first; {@link #get} shows this replica's pending status.
 *
 * <p><b>Outages.</b> Any failure to reach the database surfaces as {@link UnavailableException}
 * (HTTP 503); the pool drops broken connections and the next call reconnects, so the store
 * recovers by itself ({@link Database}).
 *
 * <p><b>Threads.</b> Callers may be any threads. The pool is HikariCP's; the batcher documents its
 * own state; one daemon thread flushes heartbeats, another compacts the change feed, so that a long
 * compaction never delays a flush.
 */
public final class JdbcStore implements NodeStore {
    private static final Logger LOG = Logger.getLogger(JdbcStore.class.getName());
    private static final int MAX_CAS_ATTEMPTS = 100;

    private final Database db;
    private final String description;
    private final JdbcLeaderElection election;
    private final NodeWriter writer;
    private final HeartbeatBatcher batcher;
    private final StatusBatchWriter statusWriter;
    private final ChangeFeed feed;
    private final BackgroundTasks background;
    private final JdbcProjectStore projects;
    private final JdbcTokenStore tokens;
    // Stateless but for its policy (the rows are the database's), so events(policy) may swap it at any time.
    private volatile JdbcEventStore events;
    private final AtomicBoolean closed = new AtomicBoolean();

    JdbcStore(JdbcStoreBuilder s) {
        this.db = Database.open(s);
        this.description = db.description();
        this.election = new JdbcLeaderElection(db.leasePool(), db.dialect(), s.leaseTtl, s.ticker, s.holder);
        this.writer = new NodeWriter(db, election);
        this.batcher = new HeartbeatBatcher(batch -> statusWriter().write(batch));
        this.statusWriter = new StatusBatchWriter(db, batcher, election);
        this.feed = new ChangeFeed(db, s.changeHistory, s.compactionBatch);
        this.tokens = new JdbcTokenStore(db);
        this.events = new JdbcEventStore(db, feed, s.events);
        this.background = new BackgroundTasks(batcher, () -> {
            feed.compact(ChangeFeed.CompactionProbe.NONE);
            events.deleteExpired(); // the current policy's age
        }, s.flushWindow, s.compactionInterval);
        this.projects = new JdbcProjectStore(db, feed, election);
    }

    /** A builder for a store on the database at a JDBC URL. */
    public static JdbcStoreBuilder builder(String jdbcUrl) {
        return new JdbcStoreBuilder(jdbcUrl);
    }

    // ---------------------------------------------------------------- NodeStore

    @Override
    public Node create(Node node) {
        Objects.requireNonNull(node, "node");
        ensureOpen();
        String name = node.name();
        StoredRow row = writer.insert(node);
        batcher.forget(name);
        batcher.remember(name, row);
        return row.node();
    }

    @Override
    public Optional<Node> get(String name) {
        ensureOpen();
        Optional<Node> pending = batcher.pendingNode(name);
        if (pending.isPresent()) {
            return pending;
        }
        return Optional.ofNullable(writer.read(name)).map(StoredRow::node);
    }

    @Override
    public Snapshot list() {
        ensureOpen();
        batcher.flush();
        return feed.snapshot();
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        ensureOpen();
        if (batcher.hasPending(name)) {
            batcher.flush(); // the mutation must see this replica's acknowledged heartbeats
        }
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            StoredRow current = writer.require(name);
            StoreRules.checkVersion(current.node(), expectedResourceVersion);
            Node proposed = Objects.requireNonNull(mutation.apply(current.node()), "mutation result");
            StoredRow written = writer.replace(current, proposed, fence);
            if (written != null) {
                batcher.remember(name, written);
                return written.node();
            }
        }
        throw new UnavailableException("node \"" + name + "\" changed " + MAX_CAS_ATTEMPTS
                + " times while being updated; try again");
    }

    @Override
    public Node updateStatus(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        Objects.requireNonNull(mutation, "mutation");
        Objects.requireNonNull(fence, "fence");
        ensureOpen();
        Node base = batcher.latest(name, () -> writer.require(name));
        NodeStatus next = Objects.requireNonNull(mutation.apply(base), "mutation result");
        if (next == base.status()) {
            return base;
        }
        // A leader's state transition is written now, fenced in its own transaction, so that the
        // caller learns at once if it is no longer the leader. So is any write with a term this
        // replica does not hold. Everything else (heartbeats) goes through the batch.
        if (fence.fenced() && (!election.holds(fence.term()) || NodeCodec.isTransition(base.status(), next))) {
            return writeStatusNow(name, mutation, fence);
        }
        return batcher.enqueue(name, mutation, fence.term(), () -> writer.require(name));
    }

    /**
     * Writes the whole set in one durable transaction under one fence check (one batched statement
     * for up to 10,000 rows on PostgreSQL), instead of one transaction per node: the leader's expiry
     * of a fleet that went silent at once. A fence that is not live writes none of it.
     */
    @Override
    public Map<String, Node> updateStatuses(Map<String, ? extends Function<Node, NodeStatus>> mutations, Fence fence) {
        Objects.requireNonNull(mutations, "mutations");
        Objects.requireNonNull(fence, "fence");
        ensureOpen();
        if (mutations.isEmpty()) {
            return Map.of();
        }
        if (mutations.keySet().stream().anyMatch(batcher::hasPending)) {
            batcher.flush(); // the mutations must see this replica's acknowledged heartbeats
        }
        Map<String, StoredRow> rows = statusWriter.writeNow(mutations, fence);
        Map<String, Node> stored = new LinkedHashMap<>();
        for (String name : mutations.keySet()) {
            StoredRow row = rows.get(name);
            if (row != null) {
                batcher.remember(name, row);
                stored.put(name, row.node());
            }
        }
        return stored;
    }

    /** The events in the same database, on their own revision counter: {@link JdbcEventStore}. */
    @Override
    public EventStore events() {
        return events;
    }

    /** {@link #events()} kept by {@code policy} from now on (on this replica; configure every replica alike). */
    @Override
    public EventStore events(EventPolicy policy) {
        JdbcEventStore current = events;
        if (!current.policy().equals(Objects.requireNonNull(policy, "policy"))) {
            events = new JdbcEventStore(current.db(), current.feed(), policy);
        }
        return events;
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        ensureOpen();
        if (batcher.hasPending(name)) {
            batcher.flush();
        }
        Node deleted = null;
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS && deleted == null; attempt++) {
            StoredRow current = writer.require(name);
            StoreRules.checkVersion(current.node(), expectedResourceVersion);
            if (writer.delete(current)) {
                deleted = current.node();
            }
        }
        if (deleted == null) {
            throw new UnavailableException("node \"" + name + "\" changed " + MAX_CAS_ATTEMPTS
                    + " times while being deleted; try again");
        }
        batcher.forget(name);
        return deleted;
    }

    @Override
    public long revision() {
        ensureOpen();
        batcher.flush();
        return feed.revision();
    }

    /** The tokens in the same database, read from it on every call (no cache: every replica sees each write at once). */
    @Override
    public TokenStore tokens() {
        return tokens;
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        ensureOpen();
        batcher.flush();
        List<Change> changes = feed.changesSince(afterRevision, limit);
        for (Change ch : changes) {
            // Keep this replica's remembered rows fresh, so its next heartbeats start from them.
            if (ch.type() == Change.Type.DELETED) {
                batcher.evict(ch.node().name());
            } else {
                batcher.observe(ch.node().name(), new StoredRow(ch.node(), ch.revision()));
            }
        }
        return changes;
    }

    @Override
    public void checkHealth() {
        ensureOpen();
        db.ping();
    }

    @Override
    public LeaderElection leaderElection() {
        return election;
    }

    /** The projects in the same database, on the same revision counter, fenced by the same lease: {@link JdbcProjectStore}. */
    @Override
    public ProjectStore projects() {
        return projects;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        background.close();
        projects.close();
        try {
            batcher.flush();
        } catch (CaraException e) {
            LOG.log(Level.WARNING, "heartbeats still pending at close were not written: " + e.getMessage());
        }
        election.close();
        db.close();
    }

    /** Heartbeats acknowledged but not yet written; for tests and metrics. */
    public int pendingHeartbeats() {
        return batcher.pendingCount();
    }

    /**
     * Heartbeats this replica acknowledged and then dropped since it opened, because writing them
     * failed for a reason other than an outage even on their own (each is logged). For metrics:
     * anything above zero is a bug to report. An outage drops nothing: the batch waits for the
     * database.
     */
    public long droppedHeartbeats() {
        return batcher.dropped();
    }

    /** Writes the pending heartbeats now instead of at the end of the flush window. */
    public void flush() {
        batcher.flush();
    }

    /**
     * For tests: holds off every heartbeat flush (the flusher thread's and a reader's), as a flush in
     * progress would, until the returned handle is closed by the same thread. Heartbeats made meanwhile
     * are acknowledged and coalesced, and the next flush writes them as one batch, whatever the
     * machine's timing.
     */
    AutoCloseable holdFlushes() {
        return batcher.holdFlushes();
    }

    // ---------------------------------------------------------------- writes

    private Node writeStatusNow(String name, Function<Node, NodeStatus> mutation, Fence fence) {
        Node stored = updateStatuses(Map.of(name, mutation), fence).get(name);
        if (stored == null) {
            throw new NotFoundException(name);
        }
        return stored;
    }

    // ---------------------------------------------------------------- plumbing

    /** The batcher's writer is made after the batcher; its lambda reads the field through this. */
    private StatusBatchWriter statusWriter() {
        return statusWriter;
    }

    /** For tests: one compaction now, on the caller's thread, calling {@code probe} between its steps. */
    void compact(ChangeFeed.CompactionProbe probe) {
        ensureOpen();
        feed.compact(probe);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the store " + description + " is closed");
        }
    }
}
