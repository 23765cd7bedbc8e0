package dev.cara.store.jdbc;

import dev.cara.sdk.Node;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.NodeStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The change feeds ({@code cara_change} for nodes, {@code cara_project_change} for projects: one row
 * per write, keyed by the store's one revision) as readers see them, and their compaction, which
 * keeps the newest {@code changeHistory} changes of each.
 *
 * <p><b>Threads.</b> Stateless apart from its settings: any thread may read; compaction runs on the
 * store's compactor thread (or a test's), and two compactions at once (two replicas) are harmless.
 */
final class ChangeFeed {
    /** Called by a compaction between its steps; tests hold a compaction there. */
    @FunctionalInterface
    interface CompactionProbe {
        CompactionProbe NONE = deletedThrough -> { };

        /** The changes up to {@code deletedThrough} are gone (or going: within the current step). */
        void afterBatch(long deletedThrough);
    }

    /** The feeds: each its own change table, its own counter row and history floor, and the columns an entry is read from. */
    enum Table {
        NODES("cara_change", "cara_revision", "history_floor", ROW_COLUMNS),
        PROJECTS("cara_project_change", "cara_revision", "project_history_floor", ROW_COLUMNS),
        EVENTS("cara_event_change", "cara_event_revision", "history_floor", JdbcEventStore.FIELDS);

        final String changeTable;
        final String counterTable;
        final String floorColumn;
        final String columns;

        Table(String changeTable, String counterTable, String floorColumn, String columns) {
            this.changeTable = changeTable;
            this.counterTable = counterTable;
            this.floorColumn = floorColumn;
            this.columns = columns;
        }
    }

    /** What a node or project change entry is read from, after its revision and type. */
    private static final String ROW_COLUMNS = "resource_version, meta_json, status_json";

    /** Makes one feed entry from its revision, its type and the row (from column 3: its table's {@code columns}). */
    @FunctionalInterface
    interface ChangeDecoder<T> {
        T decode(long revision, Change.Type type, ResultSet row) throws SQLException;
    }

    private final Database db;
    private final int changeHistory;
    private final int compactionBatch;

    ChangeFeed(Database db, int changeHistory, int compactionBatch) {
        this.db = db;
        this.changeHistory = changeHistory;
        this.compactionBatch = compactionBatch;
    }

    /** Rows one compaction statement deletes at most. */
    int batch() {
        return compactionBatch;
    }

    /** The revision of the latest write. */
    long revision() {
        return db.withConnection(c -> single(c, "SELECT revision FROM cara_revision WHERE id = 1"));
    }

    /** Every node and the revision they were read at, from one database snapshot. */
    NodeStore.Snapshot snapshot() {
        return repeatableRead(c -> {
            long revision = single(c, "SELECT revision FROM cara_revision WHERE id = 1");
            List<Node> nodes = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT " + NodeRows.NODE_COLUMNS + " FROM cara_node")) {
                while (rs.next()) {
                    nodes.add(NodeRows.rowOf(rs).node());
                }
            }
            nodes.sort(Comparator.comparing(Node::name));
            return new NodeStore.Snapshot(revision, nodes);
        });
    }

    /**
     * The node changes after {@code afterRevision}, oldest first.
     *
     * @throws HistoryGoneException when compaction has passed {@code afterRevision}
     */
    List<Change> changesSince(long afterRevision, int limit) {
        return changesSince(Table.NODES, afterRevision, limit, (revision, type, rs) -> new Change(revision, type,
                NodeCodec.decode(rs.getString(4), rs.getString(5), rs.getLong(3))));
    }

    /**
     * The changes of one feed after {@code afterRevision}, oldest first, each made by {@code decode}
     * from a row of {@code revision, change_type, resource_version, meta_json, status_json}.
     *
     * @throws HistoryGoneException when compaction has passed {@code afterRevision}, or the store
     *                              never reached it
     */
    <T> List<T> changesSince(Table table, long afterRevision, int limit, ChangeDecoder<T> decode) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        // The floor and the rows from one snapshot: compaction moves the floor before rows go.
        return repeatableRead(c -> {
            long floor = single(c, "SELECT " + table.floorColumn + " FROM " + table.counterTable + " WHERE id = 1");
            long latest = single(c, "SELECT revision FROM " + table.counterTable + " WHERE id = 1");
            // A revision this database never reached was read from another one (or from a backup's past).
            if (afterRevision < floor || afterRevision > latest) {
                throw new HistoryGoneException(afterRevision, floor + 1);
            }
            List<T> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT revision, change_type, " + table.columns
                    + " FROM " + table.changeTable + " WHERE revision > ? ORDER BY revision LIMIT ?")) {
                ps.setLong(1, afterRevision);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(decode.decode(rs.getLong(1), NodeRows.changeType(rs.getInt(2)), rs));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Keeps the newest {@code changeHistory} changes of each feed; readers further behind get
     * HistoryGoneException. Never inside a writer's way: the floor moves in a one-row statement of
     * its own (writers queue behind it for that statement only), then the old rows go in
     * auto-committed DELETEs of at most {@code compactionBatch} revisions each, which lock only rows
     * no writer touches (every write appends above the floor).
     */
    void compact(CompactionProbe probe) {
        compact(Table.NODES, changeHistory, probe);
        compact(Table.PROJECTS, changeHistory, probe);
    }

    /** Keeps the newest {@code keep} changes of one feed, as {@link #compact(CompactionProbe)} does. */
    void compact(Table table, int keep, CompactionProbe probe) {
        String changes = table.changeTable;
        long cutoff = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT revision FROM " + changes + " ORDER BY revision DESC LIMIT 1 OFFSET ?")) {
                ps.setInt(1, keep);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1L;
                }
            }
        });
        if (cutoff < 0) {
            return;
        }
        // The floor first: a reader sees the floor move before the rows go.
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table.counterTable + " SET " + table.floorColumn
                    + " = ? WHERE id = 1 AND " + table.floorColumn + " < ?")) {
                ps.setLong(1, cutoff);
                ps.setLong(2, cutoff);
                return ps.executeUpdate();
            }
        });
        // MIN of no rows is NULL, read as 0: then the loop deletes nothing in as few steps as the range needs.
        long from = Math.max(1L, db.withConnection(c -> single(c, "SELECT MIN(revision) FROM " + changes)));
        while (from <= cutoff) {
            long lo = from;
            long hi = Math.min(cutoff, from + compactionBatch - 1);
            db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + changes + " WHERE revision >= ? AND revision <= ?")) {
                    ps.setLong(1, lo);
                    ps.setLong(2, hi);
                    return ps.executeUpdate();
                }
            });
            probe.afterBatch(hi);
            from = hi + 1;
        }
    }

    /** The one number a query selects (0 for NULL). */
    static long single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs work in one REPEATABLE READ transaction: every read in it sees the same snapshot. */
    <T> T repeatableRead(SqlWork<T> work) {
        return db.withConnection(c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                Database.rollbackQuietly(c);
                throw e;
            }
        });
    }
}
