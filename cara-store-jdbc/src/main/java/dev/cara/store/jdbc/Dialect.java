package dev.cara.store.jdbc;

import dev.cara.sdk.InvalidException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between PostgreSQL and MariaDB: the migration set, how a statement reads the
 * database clock, how a lock is shared, and how the revision counter hands out numbers. Everything
 * else is portable SQL in {@link JdbcStore}.
 */
enum Dialect {
    POSTGRESQL("jdbc:postgresql:", "classpath:db/migration/postgresql", new Sql("clock_timestamp()", "FOR SHARE",
            "clock_timestamp() + (? * INTERVAL '1 millisecond')",
            "GREATEST(0, CAST(EXTRACT(EPOCH FROM (expires_at - clock_timestamp())) * 1000 AS BIGINT))",
            true, "23505", -1)) {
        @Override
        void relaxDurability(Connection c) throws SQLException {
            // Heartbeats may be acknowledged before they are durable (NodeStore's contract): skip the
            // WAL flush wait for this transaction only. Commit order, and so the feed, is unaffected.
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL synchronous_commit = off");
            }
        }

        @Override
        String sessionSetupSql(java.time.Duration idleInTransaction) {
            return "SET idle_in_transaction_session_timeout = " + idleInTransaction.toMillis();
        }
    },

    MARIADB("jdbc:mariadb:", "classpath:db/migration/mariadb", new Sql("UTC_TIMESTAMP(6)", "LOCK IN SHARE MODE",
            "UTC_TIMESTAMP(6) + INTERVAL (? * 1000) MICROSECOND",
            "GREATEST(0, TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), expires_at) DIV 1000)",
            false, "23000", 1062)) {
        @Override
        void relaxDurability(Connection c) {
            // InnoDB's log flushing is a server-wide setting (innodb_flush_log_at_trx_commit); leave it to the DBA.
        }

        @Override
        String sessionSetupSql(java.time.Duration idleInTransaction) {
            return "SET SESSION idle_transaction_timeout = " + Math.max(1, (idleInTransaction.toMillis() + 999) / 1000);
        }
    };

    /**
     * The SQL pieces that differ, as data.
     *
     * @param now             the database's current time, as the lease uses it
     * @param shareLock       how a SELECT shares a row lock until commit
     * @param nowPlusMillis   the database's time plus a millisecond parameter
     * @param remainingMillis the lease's remaining milliseconds by the database clock (0 once expired)
     * @param updateReturning whether an UPDATE can return the row it wrote ({@code RETURNING})
     * @param uniqueState     the SQLState of a unique-key violation
     * @param uniqueCode      the vendor error code of one, or -1 where the SQLState says it all
     */
    private record Sql(String now, String shareLock, String nowPlusMillis, String remainingMillis,
                       boolean updateReturning, String uniqueState, int uniqueCode) {
    }

    private final String urlPrefix;
    private final String migrations;
    private final Sql sql;

    Dialect(String urlPrefix, String migrations, Sql sql) {
        this.urlPrefix = urlPrefix;
        this.migrations = migrations;
        this.sql = sql;
    }

    /** The dialect for a JDBC URL. */
    static Dialect of(String jdbcUrl) {
        for (Dialect d : values()) {
            if (jdbcUrl != null && jdbcUrl.startsWith(d.urlPrefix)) {
                return d;
            }
        }
        throw new InvalidException("store", jdbcUrl,
                "a JDBC URL for PostgreSQL or MariaDB: jdbc:postgresql://HOST:PORT/DB?user=U or jdbc:mariadb://HOST:PORT/DB?user=U");
    }

    String migrations() {
        return migrations;
    }

    /** The SQL expression for the database's current time, as the lease uses it. */
    String now() {
        return sql.now();
    }

    /**
     * Takes the store's revision counter's row lock (held until the transaction ends) and reserves
     * {@code count} revisions.
     *
     * @return the last revision reserved; the first is {@code last - count + 1}
     */
    long allocateRevisions(Connection c, int count) throws SQLException {
        return allocateRevisions(c, "cara_revision", count);
    }

    /**
     * The same on another counter row ({@code cara_event_revision}: events count on their own). The
     * row is read back in the same statement where the database can ({@code RETURNING}); otherwise
     * right after, which under READ COMMITTED reads our own write, as we hold the row lock.
     */
    long allocateRevisions(Connection c, String counter, int count) throws SQLException {
        String update = "UPDATE " + counter + " SET revision = revision + ? WHERE id = 1";
        try (PreparedStatement ps = c.prepareStatement(update + (sql.updateReturning() ? " RETURNING revision" : ""))) {
            ps.setInt(1, count);
            if (sql.updateReturning()) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
            ps.executeUpdate();
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT revision FROM " + counter + " WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Reads the lease's term and whether it is unexpired, and locks it against a takeover until commit. */
    String leaseCheckSql() {
        return "SELECT term, expires_at > " + sql.now() + " FROM cara_lease WHERE id = 1 " + sql.shareLock();
    }

    /** The SQL expression for the database's time plus a millisecond parameter. */
    String nowPlusMillis() {
        return sql.nowPlusMillis();
    }

    /** The lease's remaining milliseconds by the database clock (0 once expired). */
    String remainingMillisSql() {
        return "SELECT " + sql.remainingMillis() + " FROM cara_lease WHERE id = 1";
    }

    /** Lets the current transaction commit without waiting for durability, where the database allows it. */
    abstract void relaxDurability(Connection c) throws SQLException;

    boolean isUniqueViolation(SQLException e) {
        return e.getErrorCode() == sql.uniqueCode() || sql.uniqueState().equals(e.getSQLState());
    }

    /**
     * Run on every new connection. It makes the database end a session that sits inside a transaction
     * for longer than {@code idleInTransaction}: a replica paused (SIGSTOP, a long GC, a frozen VM)
     * in the middle of a write would otherwise hold the revision lock, and stall every replica,
     * for as long as it stays paused.
     */
    abstract String sessionSetupSql(java.time.Duration idleInTransaction);
}
