package dev.cara.store.jdbc;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.spi.Fence;

import java.sql.PreparedStatement;

/**
 * One write of one node row, each in its own short transaction that takes the revision counter's
 * lock first (see {@link JdbcStore}'s "Writes"): the insert of a create, one compare-and-set attempt
 * of an update, one of a delete, and the reads they start from. {@link JdbcStore} keeps the retry
 * loops and this replica's remembered rows around them; this class only speaks SQL.
 *
 * <p>Stateless (the rows are the database's); any thread.
 */
final class NodeWriter {
    private final Database db;
    private final JdbcLeaderElection election;

    NodeWriter(Database db, JdbcLeaderElection election) {
        this.db = db;
        this.election = election;
    }

    /** Inserts a new row for {@code node} and its ADDED change. @throws AlreadyExistsException if the name is taken */
    StoredRow insert(Node node) {
        String name = node.name();
        // JSON is encoded before the transaction: nothing slow happens while the revision lock is held.
        // The resourceVersion inside meta_json is ignored on read (the column is the truth).
        String metaJson = NodeCodec.metaJson(node);
        String statusJson = NodeCodec.statusJson(node.status());
        return db.inTransaction(false, c -> {
            long rev = db.dialect().allocateRevisions(c, 1);
            db.insert(c, "INSERT INTO cara_node (" + NodeRows.NODE_COLUMNS + ") VALUES (?, ?, ?, ?, ?)", ps -> {
                ps.setString(1, name);
                ps.setLong(2, rev);
                ps.setLong(3, rev);
                ps.setString(4, metaJson);
                ps.setString(5, statusJson);
            }, () -> new AlreadyExistsException(name));
            NodeRows.appendChange(c, rev, name, NodeRows.ADDED);
            return new StoredRow(node.withMetadata(node.metadata().withResourceVersion(Long.toString(rev))), rev);
        });
    }

    /**
     * Writes {@code proposed} over {@code current} if the row is still at {@code current}'s revision;
     * null if it moved on (read again and retry). The resourceVersion moves only when the desired
     * state changed, and the status column is written only when the status did.
     */
    StoredRow replace(StoredRow current, Node proposed, Fence fence) {
        String name = current.node().name();
        boolean specChanged = !proposed.sameDesiredState(current.node());
        boolean statusChanged = !proposed.status().equals(current.node().status());
        ObjectMeta was = current.node().metadata();
        ObjectMeta meta = new ObjectMeta(name, proposed.metadata().labels(), proposed.metadata().annotations(),
                was.createdAt(), proposed.metadata().updatedAt(), null);
        Node unversioned = proposed.withMetadata(meta);
        String metaJson = NodeCodec.metaJson(unversioned);
        String statusJson = statusChanged ? NodeCodec.statusJson(proposed.status()) : null;
        return db.inTransaction(false, c -> {
            long rev = db.dialect().allocateRevisions(c, 1);
            if (fence.fenced()) {
                election.checkFence(c, fence.term());
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
            NodeRows.appendChange(c, rev, name, NodeRows.MODIFIED);
            return new StoredRow(unversioned.withMetadata(meta.withResourceVersion(Long.toString(resourceVersion))), rev);
        });
    }

    /** Deletes the row if it is still at {@code current}'s revision, with its DELETED change; false if it moved on. */
    boolean delete(StoredRow current) {
        return db.inTransaction(false, c -> NodeRows.deleteRow(c, "cara_node", NodeRows.APPEND_CHANGE,
                db.dialect().allocateRevisions(c, 1), current.node().name(), current.revision()));
    }

    /** The row as the database holds it now. @throws NotFoundException if there is none */
    StoredRow require(String name) {
        StoredRow row = read(name);
        if (row == null) {
            throw new NotFoundException(name);
        }
        return row;
    }

    /** The row as the database holds it now, or null. */
    StoredRow read(String name) {
        return db.withConnection(c -> NodeRows.read(c, name));
    }
}
