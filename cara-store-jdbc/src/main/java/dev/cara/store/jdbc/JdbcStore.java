package dev.cara.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.Durations;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Ticker;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.NodeStore;
import dev.cara.sdk.spi.StoreRules;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * is the change feed: one row per write, keyed by revision, copied from the node row server-side
 * ({@code INSERT ... SELECT}) in the same transaction. One counter row, {@code cara_revision}, hands
 * out the global revision.
 *
 * <p><b>Writes.</b> Every write is a short transaction that first takes the counter row's lock (and
 * reserves its revisions), so writes commit in revision order and {@link #changesSince} — a primary
 * key range scan — never misses a write that commits late. Updates are optimistic: read the row,
 * apply the mutation and encode JSON outside any transaction, then write only if the row's
 * {@code revision} is still the one read (compare-and-set), else read again and retry. A spec write
 * and a status write therefore never overwrite each other: whichever comes second sees the first. A
 * fenced write also locks the lease row and checks its term in the same transaction.
 *
 * <p><b>Heartbeats</b> ({@link #updateStatus} that is not a leader's state transition) are batched:
 * see {@link HeartbeatBatcher}. They are acknowledged at once and written together, in one JDBC
 * batch of one statement per flush window ({@link Builder#flushWindow}, at most 100 ms). Reads that
 * must see them ({@link #list}, {@link #revision}, {@link #changesSince}) flush first; {@link #get}
 * shows this replica's pending status.
 *
 * <p><b>Outages.</b> Any failure to reach the database surfaces as {@link UnavailableException}
 * (HTTP 503); the pool drops broken connections and the next call reconnects, so the store
 * recovers by itself.
 *
 * <p><b>Threads.</b> Callers may be any threads. The pool is HikariCP's; the batcher documents its
 * own state; one daemon thread flushes heartbeats and compacts the change feed.
 */
public final class JdbcStore implements NodeStore {
    private static final Logger LOG = Logger.getLogger(JdbcStore.class.getName());
    private static final String NODE_COLUMNS = "name, resource_version, revision, meta_json, status_json";
    private static final int MAX_CAS_ATTEMPTS = 100;
    private static final int BATCH_CHUNK = 2_000;
    private static final int ADDED = 1;
    private static final int MODIFIED = 2;
    private static final int DELETED = 3;
    private static final Change.Type[] CHANGE_TYPES = {null, Change.Type.ADDED, Change.Type.MODIFIED, Change.Type.DELETED};

    private final Dialect dialect;
    private final String description;
    private final HikariDataSource pool;
    private final HikariDataSource leasePool;
    private final JdbcLeaderElection election;
    private final HeartbeatBatcher batcher;
    private final int changeHistory;
    private final ScheduledExecutorService background;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdbcStore(Builder b) {
        this.dialect = Dialect.of(b.url);
        this.description = redact(b.url);
        this.changeHistory = b.changeHistory;
        this.pool = new HikariDataSource(poolConfig(b, "cara-store", b.poolSize));
        HikariDataSource lease = null;
        try {
            migrate();
            // The lease has its own two connections, so a pool busy with heartbeats never delays a renewal.
            HikariConfig leaseConfig = poolConfig(b, "cara-lease", 2);
            // No connection until the election starts: a store that never campaigns (a tool, a test) costs none.
            leaseConfig.setMinimumIdle(0);
            leaseConfig.setInitializationFailTimeout(-1);
            lease = new HikariDataSource(leaseConfig);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        this.leasePool = lease;
        this.election = new JdbcLeaderElection(leasePool, dialect, b.leaseTtl, b.ticker, b.holder);
        this.batcher = new HeartbeatBatcher(this::writeStatusBatch);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cara-store-flusher");
            t.setDaemon(true);
            return t;
        });
        long window = b.flushWindow.toNanos();
        background.scheduleWithFixedDelay(this::flushQuietly, window, window, TimeUnit.NANOSECONDS);
        background.scheduleWithFixedDelay(this::compactQuietly, 10, 10, TimeUnit.SECONDS);
    }

    /** A builder for a store on the database at a JDBC URL. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    // ---------------------------------------------------------------- NodeStore

    @Override
    public Node create(Node node) {
        Objects.requireNonNull(node, "node");
        ensureOpen();
        String name = node.name();
        // JSON is encoded before the transaction: nothing slow happens while the revision lock is held.
        // The resourceVersion inside meta_json is ignored on read (the column is the truth).
        String metaJson = NodeCodec.metaJson(node);
        String statusJson = NodeCodec.statusJson(node.status());
        StoredRow row = inTransaction(false, c -> {
            long rev = dialect.allocateRevisions(c, 1);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cara_node (name, resource_version, "
                    + "revision, meta_json, status_json) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setLong(2, rev);
                ps.setLong(3, rev);
                ps.setString(4, metaJson);
                ps.setString(5, statusJson);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (dialect.isUniqueViolation(e)) {
                    throw new AlreadyExistsException(name);
                }
                throw e;
            }
            appendChange(c, rev, name, ADDED);
            return new StoredRow(node.withMetadata(node.metadata().withResourceVersion(Long.toString(rev))), rev);
        });
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
        return Optional.ofNullable(read(name)).map(StoredRow::node);
    }

    @Override
    public Snapshot list() {
        ensureOpen();
        batcher.flush();
        return withConnection(c -> {
            // One snapshot for the counter and the rows, so the revision matches what was listed.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try {
                long revision;
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT revision FROM cara_revision WHERE id = 1")) {
                    rs.next();
                    revision = rs.getLong(1);
                }
                List<Node> nodes = new ArrayList<>();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT " + NODE_COLUMNS + " FROM cara_node")) {
                    while (rs.next()) {
                        nodes.add(rowOf(rs).node());
                    }
                }
                c.commit();
                nodes.sort(Comparator.comparing(Node::name));
                return new Snapshot(revision, nodes);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        });
    }

    @Override
    public Node update(String name, String expectedResourceVersion, UnaryOperator<Node> mutation, Fence fence) {
        ensureOpen();
        if (batcher.hasPending(name)) {
            batcher.flush(); // the mutation must see this replica's acknowledged heartbeats
        }
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            StoredRow current = require(name);
            StoreRules.checkVersion(current.node(), expectedResourceVersion);
            Node proposed = Objects.requireNonNull(mutation.apply(current.node()), "mutation result");
            boolean specChanged = !proposed.sameDesiredState(current.node());
            boolean statusChanged = !proposed.status().equals(current.node().status());
            ObjectMeta was = current.node().metadata();
            ObjectMeta meta = new ObjectMeta(name, proposed.metadata().labels(), proposed.metadata().annotations(),
                    was.createdAt(), proposed.metadata().updatedAt(), null);
            Node unversioned = proposed.withMetadata(meta);
            String metaJson = NodeCodec.metaJson(unversioned);
            String statusJson = statusChanged ? NodeCodec.statusJson(proposed.status()) : null;
            StoredRow written = inTransaction(false, c -> {
                long rev = dialect.allocateRevisions(c, 1);
                if (fence.fenced()) {
                    checkFence(c, fence.term());
                }
                long resourceVersion = specChanged ? rev : Long.parseLong(was.resourceVersion());
                String sql = "UPDATE cara_node SET meta_json = ?, resource_version = ?, revision = ?"
                        + (statusChanged ? ", status_json = ?" : "") + " WHERE name = ? AND revision = ?";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    ps.setString(i++, metaJson);
                    ps.setLong(i++, resourceVersion);
                    ps.setLong(i++, rev);
                    if (statusChanged) {
                        ps.setString(i++, statusJson);
                    }
                    ps.setString(i++, name);
                    ps.setLong(i, current.revision());
                    if (ps.executeUpdate() == 0) {
                        c.rollback();
                        return null; // someone wrote the row since we read it: read again
                    }
                }
                appendChange(c, rev, name, MODIFIED);
                return new StoredRow(unversioned.withMetadata(meta.withResourceVersion(Long.toString(resourceVersion))), rev);
            });
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
        Node base = batcher.latest(name, () -> require(name));
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
        return batcher.enqueue(name, mutation, fence.term(), () -> require(name));
    }

    @Override
    public Node delete(String name, String expectedResourceVersion) {
        ensureOpen();
        if (batcher.hasPending(name)) {
            batcher.flush();
        }
        Node deleted = null;
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS && deleted == null; attempt++) {
            StoredRow current = require(name);
            StoreRules.checkVersion(current.node(), expectedResourceVersion);
            Boolean gone = inTransaction(false, c -> {
                long rev = dialect.allocateRevisions(c, 1);
                // The feed's DELETED entry carries the node as it was: copy the row before removing it.
                if (appendChange(c, rev, name, DELETED, current.revision()) == 0) {
                    c.rollback();
                    return false; // written meanwhile: check the version again
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM cara_node WHERE name = ?")) {
                    ps.setString(1, name);
                    ps.executeUpdate();
                }
                return true;
            });
            if (gone) {
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
        return withConnection(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT revision FROM cara_revision WHERE id = 1")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public List<Change> changesSince(long afterRevision, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        ensureOpen();
        batcher.flush();
        List<Change> changes = withConnection(c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try {
                long floor;
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT history_floor FROM cara_revision WHERE id = 1")) {
                    rs.next();
                    floor = rs.getLong(1);
                }
                if (afterRevision < floor) {
                    throw new HistoryGoneException(afterRevision, floor + 1);
                }
                List<Change> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT revision, change_type, resource_version, meta_json, "
                        + "status_json FROM cara_change WHERE revision > ? ORDER BY revision LIMIT ?")) {
                    ps.setLong(1, afterRevision);
                    ps.setInt(2, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Node n = NodeCodec.decode(rs.getString(4), rs.getString(5), rs.getLong(3));
                            out.add(new Change(rs.getLong(1), CHANGE_TYPES[rs.getInt(2)], n));
                        }
                    }
                }
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        });
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
        withConnection(c -> {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(2);
                st.execute("SELECT 1");
            }
            return null;
        });
    }

    @Override
    public LeaderElection leaderElection() {
        return election;
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
        background.shutdown();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            batcher.flush();
        } catch (CaraException e) {
            LOG.log(Level.WARNING, "heartbeats still pending at close were not written: " + e.getMessage());
        }
        election.close();
        leasePool.close();
        pool.close();
    }

    /** Heartbeats acknowledged but not yet written; for tests and metrics. */
    public int pendingHeartbeats() {
        return batcher.pendingCount();
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
        if (batcher.hasPending(name)) {
            batcher.flush();
        }
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            StoredRow current = require(name);
            NodeStatus next = Objects.requireNonNull(mutation.apply(current.node()), "mutation result");
            if (next == current.node().status()) {
                return current.node();
            }
            Node stored = current.node().withStatus(next);
            String statusJson = NodeCodec.statusJson(next);
            Long rev = inTransaction(false, c -> {
                long r = dialect.allocateRevisions(c, 1);
                if (fence.fenced()) {
                    checkFence(c, fence.term());
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE cara_node SET status_json = ?, revision = ? WHERE name = ? AND revision = ?")) {
                    ps.setString(1, statusJson);
                    ps.setLong(2, r);
                    ps.setString(3, name);
                    ps.setLong(4, current.revision());
                    if (ps.executeUpdate() == 0) {
                        c.rollback();
                        return null;
                    }
                }
                appendChange(c, r, name, MODIFIED);
                return r;
            });
            if (rev != null) {
                batcher.remember(name, new StoredRow(stored, rev));
                return stored;
            }
        }
        throw new UnavailableException("node \"" + name + "\" changed " + MAX_CAS_ATTEMPTS
                + " times while its status was written; try again");
    }

    /** Locks the lease row for this transaction and refuses a term that is not the live one. */
    private void checkFence(Connection c, long term) throws SQLException {
        long current;
        boolean live;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.leaseCheckSql())) {
            rs.next();
            current = rs.getLong(1);
            live = rs.getBoolean(2);
        }
        if (current != term || !live) {
            election.fenceRejected(term);
            throw new FencedException("leader term " + term + " is no longer current (the lease is at term " + current
                    + (live ? "" : ", expired") + "); this replica must not write state transitions");
        }
    }

    /**
     * The batcher's writer: one transaction, one revision reservation, one batched UPDATE (plus
     * fix-ups for rows that moved on). Results are computed and encoded before the transaction.
     */
    private Map<String, StoredRow> writeStatusBatch(List<Map.Entry<String, HeartbeatBatcher.Pending>> batch) {
        List<Planned> planned = new ArrayList<>();
        List<Planned> unresolved = new ArrayList<>();
        boolean anyFenced = false;
        for (Map.Entry<String, HeartbeatBatcher.Pending> e : batch) {
            HeartbeatBatcher.Pending p = e.getValue();
            anyFenced |= p.steps().stream().anyMatch(st -> st.fenceTerm() != 0);
            Planned plan = new Planned(e.getKey(), p.steps());
            StoredRow row = batcher.confirmed(e.getKey());
            if (row == null) {
                unresolved.add(plan);
            } else if (row.revision() == p.baseRevision()) {
                plan.resolve(row.revision(), p.result());
                planned.add(plan);
            } else if (plan.replayOn(row)) {
                planned.add(plan);
            }
        }
        boolean checkLease = anyFenced;
        return inTransaction(true, c -> {
            long next = dialect.allocateRevisions(c, batch.size()) - batch.size() + 1;
            List<Planned> toWrite = planned;
            List<Planned> toReplay = new ArrayList<>(unresolved);
            if (checkLease) {
                long liveTerm;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.leaseCheckSql())) {
                    rs.next();
                    liveTerm = rs.getBoolean(2) ? rs.getLong(1) : -1;
                }
                toWrite = new ArrayList<>();
                for (Planned plan : planned) {
                    (plan.dropStaleSteps(liveTerm) ? toReplay : toWrite).add(plan);
                }
                for (Planned plan : unresolved) {
                    plan.dropStaleSteps(liveTerm);
                }
            }
            for (Planned plan : toWrite) {
                plan.revision = next++;
            }
            for (Planned plan : toReplay) {
                plan.revision = next++;
            }
            Map<String, StoredRow> written = new HashMap<>();
            toReplay.addAll(executeStatusBatch(c, toWrite, written));
            toReplay.removeIf(plan -> plan.steps.isEmpty());
            if (!toReplay.isEmpty()) {
                // Rows written by someone else since we saw them. We hold the counter lock, so what we
                // read now stays current until we commit: apply the steps to it and write again.
                Map<String, StoredRow> fresh = readAll(c, toReplay.stream().map(Planned::name).toList());
                List<Planned> retry = new ArrayList<>();
                for (Planned plan : toReplay) {
                    StoredRow row = fresh.get(plan.name());
                    if (row == null) {
                        batcher.forget(plan.name()); // deleted meanwhile; the next heartbeat gets a 404
                    } else if (plan.replayOn(row)) {
                        retry.add(plan);
                    }
                }
                List<Planned> failed = executeStatusBatch(c, retry, written);
                if (!failed.isEmpty()) {
                    throw new IllegalStateException("status rows changed while the revision lock was held: " + failed);
                }
            }
            return written;
        });
    }

    /** One planned row write of a batch: owned by the flushing thread. */
    private final class Planned {
        private final String name;
        private List<HeartbeatBatcher.Step> steps;
        private long revision;
        private long expectedRevision;
        private Node result;
        private String statusJson;

        Planned(String name, List<HeartbeatBatcher.Step> steps) {
            this.name = name;
            this.steps = steps;
        }

        String name() {
            return name;
        }

        void resolve(long expected, Node node) {
            expectedRevision = expected;
            result = node;
            statusJson = NodeCodec.statusJson(node.status());
        }

        /** Applies the steps to a row; false when they change nothing (so nothing is written). */
        boolean replayOn(StoredRow row) {
            Node n = HeartbeatBatcher.replay(steps, row.node());
            if (n == row.node()) {
                return false;
            }
            resolve(row.revision(), n);
            return true;
        }

        /**
         * Drops steps written under a leader term that is no longer live (a deposed leader's
         * heartbeat evaluation); true when some were dropped, so the rest must be replayed.
         */
        boolean dropStaleSteps(long liveTerm) {
            List<HeartbeatBatcher.Step> kept = steps.stream()
                    .filter(st -> st.fenceTerm() == 0 || st.fenceTerm() == liveTerm).toList();
            if (kept.size() == steps.size()) {
                return false;
            }
            steps.stream().filter(st -> st.fenceTerm() != 0 && st.fenceTerm() != liveTerm).findFirst()
                    .ifPresent(st -> election.fenceRejected(st.fenceTerm()));
            LOG.warning("dropped a status write for node \"" + name + "\": its leader term is no longer current");
            steps = kept;
            return true;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Writes planned rows with compare-and-set; returns the ones whose row had moved on. */
    private List<Planned> executeStatusBatch(Connection c, List<Planned> plans, Map<String, StoredRow> written)
            throws SQLException {
        List<Planned> failed = new ArrayList<>();
        if (plans.isEmpty()) {
            return failed;
        }
        if (dialect == Dialect.POSTGRESQL) {
            return executeStatusArrays(c, plans, written);
        }
        List<Planned> done = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE cara_node SET status_json = ?, revision = ? WHERE name = ? AND revision = ?")) {
            for (int from = 0; from < plans.size(); from += BATCH_CHUNK) {
                List<Planned> chunk = plans.subList(from, Math.min(plans.size(), from + BATCH_CHUNK));
                for (Planned p : chunk) {
                    ps.setString(1, p.statusJson);
                    ps.setLong(2, p.revision);
                    ps.setString(3, p.name);
                    ps.setLong(4, p.expectedRevision);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                List<Planned> unknown = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                    Planned p = chunk.get(i);
                    if (counts[i] == Statement.SUCCESS_NO_INFO) {
                        unknown.add(p);
                    } else if (counts[i] == 0) {
                        failed.add(p);
                    } else {
                        written.put(p.name, new StoredRow(p.result, p.revision));
                        done.add(p);
                    }
                }
                if (!unknown.isEmpty()) {
                    // Some drivers do not report per-row counts for a batch: see what the rows say.
                    Map<String, StoredRow> now = readAll(c, unknown.stream().map(Planned::name).toList());
                    for (Planned p : unknown) {
                        StoredRow row = now.get(p.name);
                        if (row != null && row.revision() == p.revision) {
                            written.put(p.name, new StoredRow(p.result, p.revision));
                            done.add(p);
                        } else {
                            failed.add(p);
                        }
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(APPEND_CHANGE)) {
            for (int from = 0; from < done.size(); from += BATCH_CHUNK) {
                for (Planned p : done.subList(from, Math.min(done.size(), from + BATCH_CHUNK))) {
                    ps.setLong(1, p.revision);
                    ps.setInt(2, MODIFIED);
                    ps.setString(3, p.name);
                    ps.setLong(4, p.revision);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return failed;
    }

    /**
     * PostgreSQL: the whole batch as one statement over arrays, which updates every row whose
     * revision is still the expected one and appends each to the change feed, returning the names it
     * wrote. One statement costs one plan and one round trip whatever the batch size, where a JDBC
     * batch of two statements per row costs two executions per row.
     */
    private static final String PG_STATUS_BATCH = "WITH b AS (SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], "
            + "?::bigint[]) AS b(name, status_json, revision, expected)), "
            + "u AS (UPDATE cara_node n SET status_json = b.status_json, revision = b.revision FROM b "
            + "WHERE n.name = b.name AND n.revision = b.expected "
            + "RETURNING n.name, n.revision, n.resource_version, n.meta_json, n.status_json) "
            + "INSERT INTO cara_change (revision, change_type, name, resource_version, meta_json, status_json) "
            + "SELECT revision, " + MODIFIED + ", name, resource_version, meta_json, status_json FROM u RETURNING name";

    private List<Planned> executeStatusArrays(Connection c, List<Planned> plans, Map<String, StoredRow> written)
            throws SQLException {
        List<Planned> failed = new ArrayList<>();
        for (int from = 0; from < plans.size(); from += BATCH_CHUNK * 5) {
            List<Planned> chunk = plans.subList(from, Math.min(plans.size(), from + BATCH_CHUNK * 5));
            int n = chunk.size();
            String[] names = new String[n];
            String[] statuses = new String[n];
            Long[] revisions = new Long[n];
            Long[] expected = new Long[n];
            for (int i = 0; i < n; i++) {
                Planned p = chunk.get(i);
                names[i] = p.name;
                statuses[i] = p.statusJson;
                revisions[i] = p.revision;
                expected[i] = p.expectedRevision;
            }
            java.util.Set<String> done = new java.util.HashSet<>(n * 2);
            try (PreparedStatement ps = c.prepareStatement(PG_STATUS_BATCH)) {
                ps.setArray(1, c.createArrayOf("text", names));
                ps.setArray(2, c.createArrayOf("text", statuses));
                ps.setArray(3, c.createArrayOf("bigint", revisions));
                ps.setArray(4, c.createArrayOf("bigint", expected));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        done.add(rs.getString(1));
                    }
                }
            }
            for (Planned p : chunk) {
                if (done.contains(p.name)) {
                    written.put(p.name, new StoredRow(p.result, p.revision));
                } else {
                    failed.add(p);
                }
            }
        }
        return failed;
    }

    private static final String APPEND_CHANGE = "INSERT INTO cara_change (revision, change_type, name, resource_version, "
            + "meta_json, status_json) SELECT ?, ?, name, resource_version, meta_json, status_json FROM cara_node "
            + "WHERE name = ? AND revision = ?";

    /** Copies the row just written at {@code revision} into the change feed, server-side. */
    private static void appendChange(Connection c, long revision, String name, int type) throws SQLException {
        appendChange(c, revision, name, type, revision);
    }

    /** Copies the row at {@code rowRevision} into the feed as the change at {@code revision}; 0 if the row moved on. */
    private static int appendChange(Connection c, long revision, String name, int type, long rowRevision) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(APPEND_CHANGE)) {
            ps.setLong(1, revision);
            ps.setInt(2, type);
            ps.setString(3, name);
            ps.setLong(4, rowRevision);
            return ps.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- reads

    private StoredRow require(String name) {
        StoredRow row = read(name);
        if (row == null) {
            throw new NotFoundException(name);
        }
        return row;
    }

    private StoredRow read(String name) {
        return withConnection(c -> read(c, name));
    }

    private static StoredRow read(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + NODE_COLUMNS + " FROM cara_node WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rowOf(rs) : null;
            }
        }
    }

    private static Map<String, StoredRow> readAll(Connection c, List<String> names) throws SQLException {
        Map<String, StoredRow> out = new HashMap<>();
        for (int from = 0; from < names.size(); from += 500) {
            List<String> chunk = names.subList(from, Math.min(names.size(), from + 500));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT " + NODE_COLUMNS + " FROM cara_node WHERE name IN (" + marks + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        StoredRow row = rowOf(rs);
                        out.put(row.node().name(), row);
                    }
                }
            }
        }
        return out;
    }

    private static StoredRow rowOf(ResultSet rs) throws SQLException {
        return new StoredRow(NodeCodec.decode(rs.getString(4), rs.getString(5), rs.getLong(2)), rs.getLong(3));
    }


    // ---------------------------------------------------------------- plumbing

    private <T> T inTransaction(boolean relaxedDurability, SqlWork<T> work) {
        return withConnection(c -> {
            c.setAutoCommit(false);
            try {
                if (relaxedDurability) {
                    dialect.relaxDurability(c);
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        });
    }

    private <T> T withConnection(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private UnavailableException unavailable(SQLException e) {
        return new UnavailableException("the database " + description + " cannot be reached or refused the request ("
                + (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ") + e.getMessage()
                + "); cara keeps retrying and recovers by itself when it is back", e);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
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

    /** Keeps the newest {@code changeHistory} changes; readers further behind get HistoryGoneException. */
    private void compactQuietly() {
        try {
            inTransaction(false, c -> {
                long cutoff;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT revision FROM cara_change ORDER BY revision DESC LIMIT 1 OFFSET ?")) {
                    ps.setInt(1, changeHistory);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return null;
                        }
                        cutoff = rs.getLong(1);
                    }
                }
                // The floor first, under the counter row's lock: a reader sees the floor move before the rows go.
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE cara_revision SET history_floor = ? WHERE id = 1 AND history_floor < ?")) {
                    ps.setLong(1, cutoff);
                    ps.setLong(2, cutoff);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM cara_change WHERE revision <= ?")) {
                    ps.setLong(1, cutoff);
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "change-feed compaction failed; trying again later", e);
        }
    }

    private void migrate() {
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(dialect.migrations())
                    .table("cara_schema_history")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new UnavailableException("could not bring the schema of " + description + " up to date: "
                    + e.getMessage(), e);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the store " + description + " is closed");
        }
    }

    private HikariConfig poolConfig(Builder b, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(b.url);
        if (b.user != null) {
            config.setUsername(b.user);
        }
        if (b.password != null) {
            config.setPassword(b.password);
        }
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1); // grows to the maximum under load, shrinks back when idle
        config.setAutoCommit(true);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // How long a caller waits for a connection while the database is down, before a 503.
        config.setConnectionTimeout(b.connectTimeout.toMillis());
        config.setValidationTimeout(Math.min(1000, b.connectTimeout.toMillis()));
        config.setInitializationFailTimeout(b.connectTimeout.toMillis());
        // Our transactions never wait on the client for long; a session that does is a paused process.
        Duration idleInTransaction = Duration.ofMillis(Math.max(1000, Math.min(b.leaseTtl.toMillis() / 3, 3000)));
        config.setConnectionInitSql(dialect.sessionSetupSql(idleInTransaction));
        // Bound every network wait, so a dead database (no RST) fails calls instead of hanging them.
        if (dialect == Dialect.POSTGRESQL) {
            putIfAbsent(config, "connectTimeout", Long.toString(Math.max(1, b.connectTimeout.toSeconds())));
            putIfAbsent(config, "socketTimeout", Long.toString(Math.max(1, b.socketTimeout.toSeconds())));
            putIfAbsent(config, "tcpKeepAlive", "true");
        } else {
            putIfAbsent(config, "connectTimeout", Long.toString(b.connectTimeout.toMillis()));
            putIfAbsent(config, "socketTimeout", Long.toString(b.socketTimeout.toMillis()));
            // Per-row update counts, which the heartbeat batch's compare-and-set reads.
            putIfAbsent(config, "useBulkStmts", "false");
        }
        return config;
    }

    private static void putIfAbsent(HikariConfig config, String key, String value) {
        if (!config.getJdbcUrl().contains(key + "=")) {
            config.addDataSourceProperty(key, value);
        }
    }

    /** The URL without its password, for logs and messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    // ---------------------------------------------------------------- builder

    /** A duration as settings spell it ({@code 1s}, {@code 250ms}), for messages. */
    private static String spell(Duration d) {
        return d.isNegative() ? d.toString() : Durations.format(d);
    }

    /** Builds a {@link JdbcStore}. Each setting is checked when set and may be set once. */
    public static final class Builder {
        private final String url;
        private String user;
        private String password;
        private int poolSize = 10;
        private Duration flushWindow = Duration.ofMillis(100);
        private Duration leaseTtl = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration socketTimeout = Duration.ofSeconds(15);
        private int changeHistory = 100_000;
        private Ticker ticker = Ticker.system();
        private String holder = defaultHolder();
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder(String url) {
            Dialect.of(url); // fail early on a URL we cannot serve
            this.url = url;
        }

        /** The database user, when the URL does not name one. */
        public Builder user(String value) {
            once("user");
            user = Objects.requireNonNull(value, "user");
            return this;
        }

        /** The database password, when the URL does not carry one. */
        public Builder password(String value) {
            once("password");
            password = Objects.requireNonNull(value, "password");
            return this;
        }

        /** Connections in the pool. Default 10. */
        public Builder poolSize(int value) {
            once("poolSize");
            if (value < 1 || value > 200) {
                throw new IllegalArgumentException("poolSize must be between 1 and 200, was " + value);
            }
            poolSize = value;
            return this;
        }

        /**
         * How long a heartbeat may wait, acknowledged, before it is written with the others of its
         * window. Default and maximum: 100 ms.
         */
        public Builder flushWindow(Duration value) {
            once("flushWindow");
            Objects.requireNonNull(value, "flushWindow");
            if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofMillis(100)) > 0) {
                throw new IllegalArgumentException("flushWindow must be more than 0 and at most 100ms, was " + spell(value));
            }
            flushWindow = value;
            return this;
        }

        /**
         * How long the leader's lease lasts without renewal; a dead leader is replaced within it.
         * Default 10 s, at least 500 ms.
         */
        public Builder leaseTtl(Duration value) {
            once("leaseTtl");
            Objects.requireNonNull(value, "leaseTtl");
            if (value.compareTo(Duration.ofMillis(500)) < 0) {
                throw new IllegalArgumentException("leaseTtl must be at least 500ms, was " + spell(value));
            }
            leaseTtl = value;
            return this;
        }

        /** How long to wait for a connection before answering "unavailable". Default 2 s. */
        public Builder connectTimeout(Duration value) {
            once("connectTimeout");
            Objects.requireNonNull(value, "connectTimeout");
            if (value.compareTo(Duration.ofMillis(250)) < 0) {
                throw new IllegalArgumentException("connectTimeout must be at least 250ms, was " + spell(value));
            }
            connectTimeout = value;
            return this;
        }

        /** How long one database round trip may take before the connection is considered dead. Default 15 s. */
        public Builder socketTimeout(Duration value) {
            once("socketTimeout");
            Objects.requireNonNull(value, "socketTimeout");
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("socketTimeout must be at least 1s, was " + spell(value));
            }
            socketTimeout = value;
            return this;
        }

        /**
         * Changes kept for the change feed; a watcher or a monitor further behind lists again. Default
         * 100,000 (about 30 s of 100,000 nodes heartbeating every 30 s).
         */
        public Builder changeHistory(int value) {
            once("changeHistory");
            if (value < 1) {
                throw new IllegalArgumentException("changeHistory must be at least 1, was " + value);
            }
            changeHistory = value;
            return this;
        }

        /** The monotonic time source for the lease's local deadline. Default: {@link Ticker#system()}. */
        public Builder ticker(Ticker value) {
            once("ticker");
            ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /** This replica's name in the lease row. Default: host, process id and a random suffix. */
        public Builder holder(String value) {
            once("holder");
            if (value == null || value.isBlank() || value.length() > 200) {
                throw new IllegalArgumentException("holder must be 1 to 200 characters, was " + value);
            }
            holder = value;
            return this;
        }

        /**
         * Opens the pool and brings the schema up to date.
         *
         * @throws UnavailableException when the database cannot be reached
         */
        public JdbcStore build() {
            try {
                return new JdbcStore(this);
            } catch (com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
                throw new UnavailableException("the database " + redact(url) + " cannot be reached: "
                        + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
            }
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        private static String defaultHolder() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "unknown-host";
            }
            return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
