package dev.cara.store.jdbc;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.EventPolicy;
import dev.cara.sdk.EventType;
import dev.cara.sdk.InvolvedObject;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.EventChange;
import dev.cara.sdk.spi.EventStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The events of a {@link JdbcStore}, in the same database: {@link JdbcStore#events()}, shared by
 * every replica (an event recorded on one folds with its repeat recorded on another).
 *
 * <p><b>Schema</b> (migration V4). {@code cara_event} has a row per stored event, a column per field,
 * keyed by the revision of its last write (so a fold moves it, and the key order is the list order);
 * timestamps are epoch nanoseconds, exact. {@code cara_event_change} is the feed, read and compacted
 * by {@link ChangeFeed} (keeping as many changes as the policy keeps events). One counter row,
 * {@code cara_event_revision}, hands out the event revisions, apart from the nodes' counter, and keeps
 * retention's state: the newest lastTimestamp, the age cutoff (which only rises) and the row count.
 * An event's labels and annotations are not kept (recorders set none).
 *
 * <p><b>Writes.</b> {@link #record} is one short transaction with relaxed durability (events may be
 * lost in a crash, the SPI says): it takes the counter row's lock first, so records, and their folds,
 * are serialized across replicas and two records of one event fold into one. Retention by count is
 * done in the same transaction and costs one row per row added: the counter knows the row count, and
 * a record beyond {@code maxCount} deletes the oldest rows. Retention by age is logical at once (every
 * read skips rows last seen before the cutoff, which the record raises) and physical later: the
 * store's compactor thread deletes those rows in batches of auto-committed statements that lock only
 * the dead rows, never the counter, so no writer waits on them ({@link #deleteExpired}).
 *
 * <p><b>Threads.</b> Any thread; no state but the database and the policy. The owning
 * {@link JdbcStore} holds the pool, runs the compaction and closes it.
 *
 * @param db     the database, which the owning store closes (every call here then throws IllegalStateException)
 * @param feed   the feeds, whose batch size the retention deletes use too
 * @param policy how it folds and keeps events: the same on every replica, if they are configured alike
 */
record JdbcEventStore(Database db, ChangeFeed feed, EventPolicy policy) implements EventStore {
    /** An event's fields in {@code cara_event} and {@code cara_event_change}, after the revision; read by {@link #rowOf}. */
    static final String FIELDS = "name, object_kind, object_name, type, reason, message, count, first_ns, last_ns";
    private static final String COLUMNS = "revision, " + FIELDS;
    private static final String COUNTER = "cara_event_revision";

    /** The counter row's retention state, read under its lock. */
    private record Counter(long newestNs, long cutoffNs, long rows) {
    }

    @Override
    public Event record(Event event) {
        Objects.requireNonNull(event, "event");
        return db.inTransaction(true, c -> {
            long rev = db.dialect().allocateRevisions(c, COUNTER, 1);
            Counter counter = counter(c);
            String version = Long.toString(rev);
            Event latest = latestOf(c, event);
            Event stored;
            int type;
            if (latest != null && nanos(latest.lastTimestamp()) >= counter.cutoffNs() && policy.folding().folds(latest, event)) {
                stored = policy.folding().fold(latest, event).stored(latest.name(), version);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE cara_event SET revision = ?, count = ?, last_ns = ? WHERE revision = ?")) {
                    ps.setLong(1, rev);
                    ps.setInt(2, stored.count());
                    ps.setLong(3, nanos(stored.lastTimestamp()));
                    ps.setLong(4, Long.parseLong(latest.metadata().resourceVersion()));
                    ps.executeUpdate();
                }
                type = NodeRows.MODIFIED;
            } else {
                stored = event.stored(event.involvedObject().name() + "." + Long.toHexString(rev), version);
                insert(c, stored, rev);
                type = NodeRows.ADDED;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cara_event_change (revision, change_type, " + FIELDS
                    + ") SELECT revision, ?, " + FIELDS + " FROM cara_event WHERE revision = ?")) {
                ps.setInt(1, type);
                ps.setLong(2, rev);
                ps.executeUpdate();
            }
            long added = type == NodeRows.ADDED ? 1 : 0;
            long dropped = dropOldest(c, counter.rows() + added - policy.maxCount());
            long newest = Math.max(counter.newestNs(), nanos(stored.lastTimestamp()));
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + COUNTER + " SET newest_ns = ?, cutoff_ns = ?, "
                    + "row_count = row_count + ? WHERE id = 1")) {
                ps.setLong(1, newest);
                ps.setLong(2, Math.max(counter.cutoffNs(), cutoff(newest)));
                ps.setLong(3, added - dropped);
                ps.executeUpdate();
            }
            return stored;
        });
    }

    @Override
    public Snapshot list(EventFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return feed.repeatableRead(c -> {
            long revision = ChangeFeed.single(c, "SELECT revision FROM " + COUNTER + " WHERE id = 1");
            long cutoff = ChangeFeed.single(c, "SELECT cutoff_ns FROM " + COUNTER + " WHERE id = 1");
            long since = Math.max(cutoff, filter.since().map(JdbcEventStore::nanos).orElse(Long.MIN_VALUE));
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM cara_event WHERE last_ns >= ?");
            List<Object> args = new ArrayList<>(List.of(since));
            filter.kind().ifPresent(k -> {
                sql.append(" AND object_kind = ?");
                args.add(k.name());
            });
            filter.object().ifPresent(o -> {
                sql.append(" AND object_kind = ? AND object_name = ?");
                args.add(o.kind().name());
                args.add(o.name());
            });
            sql.append(" ORDER BY revision DESC LIMIT ?");
            args.add(Math.min(filter.limit(), policy.maxCount()));
            List<Event> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Event e = rowOf(rs, rs.getLong(1), 2);
                        if (filter.test(e)) {
                            events.add(e);
                        }
                    }
                }
            }
            Collections.reverse(events);
            return new Snapshot(revision, events);
        });
    }

    @Override
    public long revision() {
        return db.withConnection(c -> ChangeFeed.single(c, "SELECT revision FROM " + COUNTER + " WHERE id = 1"));
    }

    @Override
    public List<EventChange> changesSince(long afterRevision, int limit) {
        return feed.changesSince(ChangeFeed.Table.EVENTS, afterRevision, limit, (revision, type, rs) ->
                new EventChange(revision, type, rowOf(rs, revision, 3)));
    }

    /**
     * Raises the age cutoff to {@code now - maxAge} (one statement on the counter row), then deletes
     * what it passed, in batches.
     *
     * @return how many events it dropped that were kept until now
     */
    @Override
    public int compact(Instant now) {
        Objects.requireNonNull(now, "now");
        long cutoff = cutoff(nanos(now));
        long dropped = db.withConnection(c -> {
            long was = ChangeFeed.single(c, "SELECT cutoff_ns FROM " + COUNTER + " WHERE id = 1");
            long count;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM cara_event WHERE last_ns >= ? AND last_ns < ?")) {
                ps.setLong(1, was);
                ps.setLong(2, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    count = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE " + COUNTER + " SET cutoff_ns = ? WHERE id = 1 AND cutoff_ns < ?")) {
                ps.setLong(1, cutoff);
                ps.setLong(2, cutoff);
                ps.executeUpdate();
            }
            return count;
        });
        deleteExpired();
        return Math.toIntExact(dropped);
    }

    /**
     * The compactor's work: deletes the rows retention by age has passed, at most the feed's batch
     * a statement, each auto-committed and locking only dead rows (a fold never touches a dead row),
     * then lowers the row count by as many in a one-row statement of its own; and compacts the feed.
     */
    void deleteExpired() {
        int deleted;
        do {
            deleted = db.withConnection(c -> {
                long cutoff = ChangeFeed.single(c, "SELECT cutoff_ns FROM " + COUNTER + " WHERE id = 1");
                long upTo;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT MAX(revision), COUNT(*) FROM (SELECT revision FROM cara_event WHERE last_ns < ? "
                                + "ORDER BY revision LIMIT ?) AS dead")) {
                    ps.setLong(1, cutoff);
                    ps.setInt(2, feed.batch());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(2) == 0) {
                            return 0;
                        }
                        upTo = rs.getLong(1);
                    }
                }
                int n;
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM cara_event WHERE revision <= ? AND last_ns < ?")) {
                    ps.setLong(1, upTo);
                    ps.setLong(2, cutoff);
                    n = ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + COUNTER + " SET row_count = row_count - ? WHERE id = 1")) {
                    ps.setLong(1, n);
                    ps.executeUpdate();
                }
                return n;
            });
        } while (deleted >= feed.batch());
        feed.compact(ChangeFeed.Table.EVENTS, policy.maxCount(), ChangeFeed.CompactionProbe.NONE);
    }

    /** The database URL without its password, as the node store says. */
    @Override
    public String describe() {
        return db.description();
    }

    /** Nothing to release: the {@link JdbcStore} owns the pool and closes it. */
    @Override
    public void close() {
    }

    // ---------------------------------------------------------------- rows

    private static Counter counter(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT newest_ns, cutoff_ns, row_count FROM " + COUNTER + " WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Counter(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    /** The latest stored record with the event's folding key, or null. */
    private static Event latestOf(Connection c, Event e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM cara_event WHERE object_kind = ? "
                + "AND object_name = ? AND type = ? AND reason = ? AND message = ? ORDER BY revision DESC LIMIT 1")) {
            ps.setString(1, e.involvedObject().kind().name());
            ps.setString(2, e.involvedObject().name());
            ps.setString(3, e.type().name());
            ps.setString(4, e.reason());
            ps.setString(5, e.message());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rowOf(rs, rs.getLong(1), 2) : null;
            }
        }
    }

    private static void insert(Connection c, Event e, long revision) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cara_event (revision, " + FIELDS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, revision);
            ps.setString(2, e.name());
            ps.setString(3, e.involvedObject().kind().name());
            ps.setString(4, e.involvedObject().name());
            ps.setString(5, e.type().name());
            ps.setString(6, e.reason());
            ps.setString(7, e.message());
            ps.setInt(8, e.count());
            ps.setLong(9, nanos(e.firstTimestamp()));
            ps.setLong(10, nanos(e.lastTimestamp()));
            ps.executeUpdate();
        }
    }

    /** Retention by count: deletes the {@code excess} oldest rows (by last write), if any; how many went. */
    private static long dropOldest(Connection c, long excess) throws SQLException {
        if (excess <= 0) {
            return 0;
        }
        long upTo;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT MAX(revision) FROM (SELECT revision FROM cara_event ORDER BY revision LIMIT ?) AS oldest")) {
            ps.setLong(1, excess);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                upTo = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM cara_event WHERE revision <= ?")) {
            ps.setLong(1, upTo);
            return ps.executeUpdate();
        }
    }

    /** The event written at {@code revision} whose {@link #FIELDS} start at column {@code at}. */
    private static Event rowOf(ResultSet rs, long revision, int at) throws SQLException {
        Instant first = instant(rs.getLong(at + 7));
        Instant last = instant(rs.getLong(at + 8));
        ObjectMeta meta = new ObjectMeta(rs.getString(at), Map.of(), Map.of(), first, last, Long.toString(revision));
        InvolvedObject object = new InvolvedObject(InvolvedObject.Kind.valueOf(rs.getString(at + 1)), rs.getString(at + 2));
        return new Event(meta, EventType.valueOf(rs.getString(at + 3)), rs.getString(at + 4), rs.getString(at + 5), object,
                rs.getInt(at + 6), first, last);
    }

    private long cutoff(long newestNs) {
        long age = policy.maxAge().toNanos();
        return newestNs < Long.MIN_VALUE + age ? Long.MIN_VALUE : newestNs - age;
    }

    /** Epoch nanoseconds: exact, and within range until the year 2262. */
    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
