package dev.cara.store.jdbc;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.ProjectChange;
import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.spi.ProjectStoreRules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The projects of a {@link JdbcStore}, in the same database: {@link JdbcStore#projects()}.
 *
 * <p><b>Schema</b> (migration V2). {@code cara_project} holds metadata and spec ({@code meta_json})
 * apart from status ({@code status_json}, see {@link ProjectCodec}), with {@code phase} and
 * {@code node_ref} copied into indexed columns for the filters and the node delete guard, the
 * {@code resource_version} column as the truth of the resourceVersion, and the row's
 * {@code revision} (its last write of any kind) as the compare-and-set token. The feed is its own
 * table, {@code cara_project_change}, read and compacted by {@link ChangeFeed} like the node feed.
 * Revisions come from the store's one counter, so the project feed skips the nodes' revisions.
 *
 * <p><b>Writes</b> are those of nodes, without batching: the mutation runs and JSON is encoded
 * outside any transaction; then one durable transaction takes the revision lock, checks the fence
 * (the lease row, as {@link JdbcLeaderElection#checkFence} does for nodes), writes the row only if
 * its {@code revision} is still the one read, and copies it into the feed server-side. If the row
 * moved meanwhile, it reads again and runs the mutation again: the scheduler's binding mutation then
 * sees the project no longer Pending and throws, so of N replicas binding one project exactly one
 * wins. Status writes are never batched nor relaxed: they are decisions others act on.
 *
 * <p><b>Threads.</b> Any thread; it keeps no state but the closed flag (an atomic). The owning
 * {@link JdbcStore} holds the database and closes this view when it closes.
 */
final class JdbcProjectStore implements ProjectStore {
    private static final int MAX_CAS_ATTEMPTS = 100;
    private static final String COLUMNS = "name, resource_version, revision, meta_json, status_json";
    private static final String APPEND_CHANGE = "INSERT INTO cara_project_change (revision, change_type, name, "
            + "resource_version, meta_json, status_json) SELECT ?, ?, name, resource_version, meta_json, status_json "
            + "FROM cara_project WHERE name = ? AND revision = ?";
    /** What {@link ProjectStoreRules#update} sets when the desired state changed; compared by identity. */
    private static final String NEW_VERSION = new String("new");

    private final AtomicBoolean closed = new AtomicBoolean();
    private final Database db;
    private final ChangeFeed feed;
    private final JdbcLeaderElection election;

    JdbcProjectStore(Database db, ChangeFeed feed, JdbcLeaderElection election) {
        this.db = db;
        this.feed = feed;
        this.election = election;
    }

    /** A project as its row holds it, with the row's compare-and-set token. */
    private record Row(Project project, long revision) {
    }

    @Override
    public Project create(Project project) {
        Objects.requireNonNull(project, "project");
        ensureOpen();
        String metaJson = ProjectCodec.metaJson(project);
        String statusJson = ProjectCodec.statusJson(project.status());
        return db.inTransaction(false, c -> {
            long rev = db.dialect().allocateRevisions(c, 1);
            db.insert(c, "INSERT INTO cara_project (name, resource_version, revision, phase, node_ref, meta_json, "
                    + "status_json) VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
                        ps.setString(1, project.name());
                        ps.setLong(2, rev);
                        ps.setLong(3, rev);
                        ps.setString(4, project.phase().name());
                        ps.setString(5, project.status().nodeRef());
                        ps.setString(6, metaJson);
                        ps.setString(7, statusJson);
                    }, () -> new AlreadyExistsException(project.name(), "project \"" + project.name() + "\" already exists"));
            NodeRows.appendChange(c, APPEND_CHANGE, rev, project.name(), NodeRows.ADDED, rev);
            return project.withMetadata(project.metadata().withResourceVersion(Long.toString(rev)));
        });
    }

    @Override
    public Optional<Project> get(String name) {
        ensureOpen();
        return Optional.ofNullable(read(name)).map(Row::project);
    }

    @Override
    public Snapshot list() {
        ensureOpen();
        return feed.repeatableRead(c -> {
            long revision = ChangeFeed.single(c, "SELECT revision FROM cara_revision WHERE id = 1");
            return new Snapshot(revision, select(c, "", null));
        });
    }

    @Override
    public List<Project> listOnNode(String node) {
        Objects.requireNonNull(node, "node");
        ensureOpen();
        return db.withConnection(c -> select(c, " WHERE node_ref = ?", node));
    }

    @Override
    public Project update(String name, String expectedResourceVersion, UnaryOperator<Project> mutation, Fence fence) {
        Objects.requireNonNull(mutation, "mutation");
        Objects.requireNonNull(fence, "fence");
        ensureOpen();
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Row current = require(name);
            Project proposed = ProjectStoreRules.update(current.project(), expectedResourceVersion, mutation, NEW_VERSION);
            boolean specChanged = proposed.metadata().resourceVersion() == NEW_VERSION;
            Project unversioned = proposed.withMetadata(proposed.metadata().withResourceVersion(null));
            String metaJson = ProjectCodec.metaJson(unversioned);
            String statusJson = ProjectCodec.statusJson(proposed.status());
            Project written = db.inTransaction(false, c -> {
                long rev = lockAndCheckFence(c, fence);
                long resourceVersion = specChanged ? rev : Long.parseLong(current.project().metadata().resourceVersion());
                if (!writeRow(c, name, current.revision(), rev, resourceVersion, proposed.status(), metaJson, statusJson)) {
                    return null;
                }
                return unversioned.withMetadata(unversioned.metadata().withResourceVersion(Long.toString(resourceVersion)));
            });
            if (written != null) {
                return written;
            }
        }
        throw contended(name, "updated");
    }

    @Override
    public Project updateStatus(String name, Function<Project, ProjectStatus> mutation, Fence fence) {
        Objects.requireNonNull(mutation, "mutation");
        Objects.requireNonNull(fence, "fence");
        ensureOpen();
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Row current = require(name);
            ProjectStatus next = Objects.requireNonNull(mutation.apply(current.project()), "mutation result");
            if (next == current.project().status()) {
                return current.project(); // the mutation changed nothing: no write, no revision
            }
            String statusJson = ProjectCodec.statusJson(next);
            boolean written = db.inTransaction(false, c -> {
                long rev = lockAndCheckFence(c, fence);
                long resourceVersion = Long.parseLong(current.project().metadata().resourceVersion());
                return writeRow(c, name, current.revision(), rev, resourceVersion, next, null, statusJson);
            });
            if (written) {
                return current.project().withStatus(next);
            }
        }
        throw contended(name, "updated");
    }

    @Override
    public Project delete(String name, String expectedResourceVersion, Predicate<? super Project> precondition) {
        Objects.requireNonNull(precondition, "precondition");
        ensureOpen();
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            Row current = require(name);
            ProjectStoreRules.checkDelete(current.project(), expectedResourceVersion, precondition);
            boolean gone = db.inTransaction(false, c -> NodeRows.deleteRow(c, "cara_project", APPEND_CHANGE,
                    db.dialect().allocateRevisions(c, 1), name, current.revision()));
            if (gone) {
                return current.project();
            }
        }
        throw contended(name, "deleted");
    }

    @Override
    public long revision() {
        ensureOpen();
        return feed.revision();
    }

    @Override
    public List<ProjectChange> changesSince(long afterRevision, int limit) {
        ensureOpen();
        return feed.changesSince(ChangeFeed.Table.PROJECTS, afterRevision, limit, (revision, type, rs) ->
                new ProjectChange(revision, type, ProjectCodec.decode(rs.getString(4), rs.getString(5), rs.getLong(3))));
    }

    @Override
    public String describe() {
        return "projects in " + db.description();
    }

    /** Marks this view closed; the database is the owning {@link JdbcStore}'s to release. Idempotent. */
    @Override
    public void close() {
        closed.set(true);
    }

    // ---------------------------------------------------------------- SQL

    /** Takes the revision lock, reserving one revision, and refuses a fence that is not the live term. */
    private long lockAndCheckFence(Connection c, Fence fence) throws SQLException {
        long rev = db.dialect().allocateRevisions(c, 1);
        if (fence.fenced()) {
            election.checkFence(c, fence.term());
        }
        return rev;
    }

    /**
     * The compare-and-set write of a row read at {@code expectedRevision} (and its feed entry);
     * false, rolled back, when the row moved on meanwhile. {@code metaJson} null leaves metadata and spec.
     */
    private boolean writeRow(Connection c, String name, long expectedRevision, long rev, long resourceVersion,
                             ProjectStatus status, String metaJson, String statusJson) throws SQLException {
        String sql = "UPDATE cara_project SET resource_version = ?, revision = ?, phase = ?, node_ref = ?, status_json = ?"
                + (metaJson == null ? "" : ", meta_json = ?") + " WHERE name = ? AND revision = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, resourceVersion);
            ps.setLong(i++, rev);
            ps.setString(i++, status.phase().name());
            ps.setString(i++, status.nodeRef());
            ps.setString(i++, statusJson);
            if (metaJson != null) {
                ps.setString(i++, metaJson);
            }
            ps.setString(i++, name);
            ps.setLong(i, expectedRevision);
            if (ps.executeUpdate() == 0) {
                c.rollback();
                return false;
            }
        }
        NodeRows.appendChange(c, APPEND_CHANGE, rev, name, NodeRows.MODIFIED, rev);
        return true;
    }

    private static List<Project> select(Connection c, String where, String parameter) throws SQLException {
        List<Project> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cara_project" + where)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rowOf(rs).project());
                }
            }
        }
        out.sort(Comparator.comparing(Project::name));
        return out;
    }

    private Row require(String name) {
        Row row = read(name);
        if (row == null) {
            throw new NotFoundException(name, "project \"" + name + "\" not found");
        }
        return row;
    }

    private Row read(String name) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cara_project WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rowOf(rs) : null;
                }
            }
        });
    }

    private static Row rowOf(ResultSet rs) throws SQLException {
        return new Row(ProjectCodec.decode(rs.getString(4), rs.getString(5), rs.getLong(2)), rs.getLong(3));
    }

    private static UnavailableException contended(String name, String what) {
        return new UnavailableException("project \"" + name + "\" changed " + MAX_CAS_ATTEMPTS
                + " times while being " + what + "; try again");
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the store " + describe() + " is closed");
        }
    }
}
