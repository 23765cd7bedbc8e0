package dev.cara.store.jdbc;

import dev.cara.sdk.spi.Change;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The SQL that reads node rows and copies them into the change feed, shared by every write path. */
final class NodeRows {
    static final String NODE_COLUMNS = "name, resource_version, revision, meta_json, status_json";
    static final int ADDED = 1;
    static final int MODIFIED = 2;
    static final int DELETED = 3;
    private static final Change.Type[] CHANGE_TYPES = {null, Change.Type.ADDED, Change.Type.MODIFIED, Change.Type.DELETED};
    /** Names per {@code IN (...)} read: well under every driver's parameter limit. */
    private static final int READ_CHUNK = 500;

    static final String APPEND_CHANGE = "INSERT INTO cara_change (revision, change_type, name, resource_version, "
            + "meta_json, status_json) SELECT ?, ?, name, resource_version, meta_json, status_json FROM cara_node "
            + "WHERE name = ? AND revision = ?";

    private NodeRows() {
    }

    static Change.Type changeType(int code) {
        return CHANGE_TYPES[code];
    }

    /** Copies the row just written at {@code revision} into the change feed, server-side. */
    static void appendChange(Connection c, long revision, String name, int type) throws SQLException {
        appendChange(c, APPEND_CHANGE, revision, name, type, revision);
    }

    /**
     * Copies a row into its feed with {@code appendSql} (an {@code INSERT ... SELECT} taking the
     * revision, the type, the name and the row's revision); 0 if the row moved on.
     */
    static int appendChange(Connection c, String appendSql, long revision, String name, int type, long rowRevision)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(appendSql)) {
            ps.setLong(1, revision);
            ps.setInt(2, type);
            ps.setString(3, name);
            ps.setLong(4, rowRevision);
            return ps.executeUpdate();
        }
    }

    /**
     * A delete at {@code revision} of the row read at {@code rowRevision}: the feed's DELETED entry
     * carries the row as it was, so it is copied first. False, rolled back, if the row moved on.
     */
    static boolean deleteRow(Connection c, String table, String appendSql, long revision, String name, long rowRevision)
            throws SQLException {
        if (appendChange(c, appendSql, revision, name, DELETED, rowRevision) == 0) {
            c.rollback();
            return false; // written meanwhile: check the version (and any precondition) again
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE name = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
        return true;
    }

    static StoredRow read(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + NODE_COLUMNS + " FROM cara_node WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rowOf(rs) : null;
            }
        }
    }

    /** The rows of the names that exist, by name. */
    static Map<String, StoredRow> readAll(Connection c, List<String> names) throws SQLException {
        Map<String, StoredRow> out = new HashMap<>();
        for (int from = 0; from < names.size(); from += READ_CHUNK) {
            List<String> chunk = names.subList(from, Math.min(names.size(), from + READ_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
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

    /** A row selected as {@link #NODE_COLUMNS}. */
    static StoredRow rowOf(ResultSet rs) throws SQLException {
        return new StoredRow(NodeCodec.decode(rs.getString(4), rs.getString(5), rs.getLong(2)), rs.getLong(3));
    }
}
