package dev.cara.store.jdbc;

import dev.cara.sdk.Node;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.spi.Fence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Writes a batch of status changes in one transaction: one revision reservation, one batched
 * compare-and-set UPDATE that also appends the change feed (plus fix-ups for rows that moved on).
 * Results are computed and JSON encoded before the transaction, so the revision lock is held only
 * for the statements.
 *
 * <p><b>Threads.</b> Called by whichever thread flushes the batcher (one at a time, under the
 * batcher's flush lock). It keeps no state between calls; each {@link Planned} belongs to the call.
 */
final class StatusBatchWriter {
    private static final Logger LOG = Logger.getLogger(StatusBatchWriter.class.getName());
    /** Rows per JDBC batch (MariaDB) and a fifth of the rows per array statement (PostgreSQL). */
    private static final int BATCH_CHUNK = 2_000;

    private final Database db;
    private final HeartbeatBatcher batcher;
    private final JdbcLeaderElection election;

    StatusBatchWriter(Database db, HeartbeatBatcher batcher, JdbcLeaderElection election) {
        this.db = db;
        this.batcher = batcher;
        this.election = election;
    }

    /**
     * The batcher's writer: one transaction, one revision reservation, one batched UPDATE (plus
     * fix-ups for rows that moved on). Results are computed and encoded before the transaction.
     */
    Map<String, StoredRow> write(List<Map.Entry<String, HeartbeatBatcher.Pending>> batch) {
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
        return db.inTransaction(true, c -> {
            long next = db.dialect().allocateRevisions(c, batch.size()) - batch.size() + 1;
            List<Planned> toWrite = planned;
            List<Planned> toReplay = new ArrayList<>(unresolved);
            if (checkLease) {
                long liveTerm = election.liveTerm(c);
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
            writeReplaying(c, toWrite, toReplay, written, null);
            return written;
        });
    }

    /**
     * Several status mutations written now, in one durable transaction under one fence check: the
     * leader's expiry of every node whose silence passed the timeout. The rows are read and the
     * results encoded before the transaction; in it, one revision reservation, the fence check, and
     * one batched compare-and-set write (plus a replay under the lock for rows written meanwhile).
     *
     * @return by name, the row written, or the current row where the mutation changed nothing;
     *         names that do not exist are left out
     * @throws dev.cara.sdk.spi.FencedException when {@code fence} is not the live term; nothing is written
     */
    Map<String, StoredRow> writeNow(Map<String, ? extends Function<Node, NodeStatus>> mutations, Fence fence) {
        List<String> names = List.copyOf(mutations.keySet());
        Map<String, StoredRow> rows = db.withConnection(c -> NodeRows.readAll(c, names));
        Map<String, StoredRow> result = new HashMap<>();
        List<Planned> planned = new ArrayList<>();
        for (String name : names) {
            StoredRow row = rows.get(name);
            if (row == null) {
                continue; // deleted since the caller looked
            }
            Planned plan = new Planned(name, List.of(new HeartbeatBatcher.Step(mutations.get(name), fence.term())));
            if (plan.replayOn(row)) {
                planned.add(plan);
            } else {
                result.put(name, row);
            }
        }
        if (planned.isEmpty()) {
            return result;
        }
        Map<String, StoredRow> written = db.inTransaction(false, c -> {
            long next = db.dialect().allocateRevisions(c, planned.size()) - planned.size() + 1;
            if (fence.fenced()) {
                election.checkFence(c, fence.term());
            }
            for (Planned plan : planned) {
                plan.revision = next++;
            }
            Map<String, StoredRow> out = new HashMap<>();
            writeReplaying(c, planned, new ArrayList<>(), out, result);
            return out;
        });
        result.putAll(written);
        return result;
    }

    /**
     * Under the revision lock: writes {@code toWrite}, then replays on the current row every plan
     * whose row moved on (and those in {@code toReplay}) and writes them again. We hold the counter
     * lock, so what we read now stays current until we commit. Rows the replay leaves unchanged go
     * to {@code unchanged} when it is given.
     */
    private void writeReplaying(Connection c, List<Planned> toWrite, List<Planned> toReplay, Map<String, StoredRow> written,
                                Map<String, StoredRow> unchanged) throws SQLException {
        toReplay.addAll(executeStatusBatch(c, toWrite, written));
        toReplay.removeIf(plan -> plan.steps.isEmpty());
        if (toReplay.isEmpty()) {
            return;
        }
        Map<String, StoredRow> fresh = NodeRows.readAll(c, toReplay.stream().map(Planned::name).toList());
        List<Planned> retry = new ArrayList<>();
        for (Planned plan : toReplay) {
            StoredRow row = fresh.get(plan.name());
            if (row == null) {
                batcher.forget(plan.name()); // deleted meanwhile; the next heartbeat gets a 404
            } else if (plan.replayOn(row)) {
                retry.add(plan);
            } else if (unchanged != null) {
                unchanged.put(plan.name(), row);
            }
        }
        List<Planned> failed = executeStatusBatch(c, retry, written);
        if (!failed.isEmpty()) {
            throw new IllegalStateException("status rows changed while the revision lock was held: " + failed);
        }
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
        if (db.dialect() == Dialect.POSTGRESQL) {
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
                    Map<String, StoredRow> now = NodeRows.readAll(c, unknown.stream().map(Planned::name).toList());
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
        try (PreparedStatement ps = c.prepareStatement(NodeRows.APPEND_CHANGE)) {
            for (int from = 0; from < done.size(); from += BATCH_CHUNK) {
                for (Planned p : done.subList(from, Math.min(done.size(), from + BATCH_CHUNK))) {
                    ps.setLong(1, p.revision);
                    ps.setInt(2, NodeRows.MODIFIED);
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
            + "SELECT revision, " + NodeRows.MODIFIED + ", name, resource_version, meta_json, status_json FROM u RETURNING name";

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
            Set<String> done = new HashSet<>(n * 2);
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
}
