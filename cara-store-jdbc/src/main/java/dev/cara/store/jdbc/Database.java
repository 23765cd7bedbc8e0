package dev.cara.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.cara.sdk.UnavailableException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The database one store talks to: its two connection pools (HikariCP), the schema (Flyway), and
 * the plumbing every query goes through, which turns any failure to reach the database into
 * {@link UnavailableException}.
 *
 * <p><b>Threads.</b> Any thread may call it; the pools are HikariCP's own thread-safe state.
 */
final class Database implements AutoCloseable {
    // Set once by close; read by every call, so that a closed store says so rather than "unreachable".
    private volatile boolean closed;
    private final Dialect dialect;
    private final String description;
    private final HikariDataSource pool;
    private final HikariDataSource leasePool;

    /** The description is the URL without its password: {@link JdbcStoreBuilder#redact}. */
    private Database(Dialect dialect, HikariDataSource pool, HikariDataSource leasePool) {
        this.dialect = dialect;
        this.description = JdbcStoreBuilder.redact(pool.getJdbcUrl());
        this.pool = pool;
        this.leasePool = leasePool;
    }

    /**
     * Opens the pools and brings the schema up to date.
     *
     * @throws UnavailableException when the database cannot be reached
     */
    static Database open(JdbcStoreBuilder s) {
        Dialect dialect = Dialect.of(s.url);
        String description = JdbcStoreBuilder.redact(s.url);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(s, dialect, "cara-store", s.poolSize));
        } catch (HikariPool.PoolInitializationException e) {
            throw unreachable(description, e);
        }
        try {
            migrate(s, dialect, description);
            // The lease has its own two connections, so a pool busy with heartbeats never delays a renewal.
            HikariConfig leaseConfig = poolConfig(s, dialect, "cara-lease", 2);
            // No connection until the election starts: a store that never campaigns (a tool, a test) costs none.
            leaseConfig.setMinimumIdle(0);
            leaseConfig.setInitializationFailTimeout(-1);
            return new Database(dialect, pool, new HikariDataSource(leaseConfig));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    Dialect dialect() {
        return dialect;
    }

    /** The URL without its password. */
    String description() {
        return description;
    }

    /** The lease's own pool, for the leader election. */
    HikariDataSource leasePool() {
        return leasePool;
    }

    /** Runs work in one transaction, committed if it returns and rolled back if it throws. */
    <T> T inTransaction(boolean relaxedDurability, SqlWork<T> work) {
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

    /**
     * Runs work on a pooled connection in auto-commit mode.
     *
     * @throws IllegalStateException if the store was closed
     */
    <T> T withConnection(SqlWork<T> work) {
        if (closed) {
            throw new IllegalStateException("the store " + description + " is closed");
        }
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * Runs the INSERT {@code sql} on {@code c}, its parameters set by {@code bind}; a unique-key
     * violation (the row exists) throws what {@code taken} makes instead.
     */
    void insert(Connection c, String sql, Binder bind, Supplier<? extends RuntimeException> taken) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                throw taken.get();
            }
            throw e;
        }
    }

    /** One round trip, bounded to 2 s: a health check. */
    void ping() {
        withConnection(c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.setQueryTimeout(2);
                st.execute("SELECT 1");
            }
            return null;
        });
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    @Override
    public void close() {
        closed = true;
        leasePool.close();
        pool.close();
    }

    private UnavailableException unavailable(SQLException e) {
        return new UnavailableException("the database " + description + " cannot be reached or refused the request ("
                + (e.getSQLState() == null ? "" : "SQLState " + e.getSQLState() + ": ") + e.getMessage()
                + "); cara keeps retrying and recovers by itself when it is back", e);
    }

    /**
     * Runs the migrations on connections of their own, without the pool's idle-in-transaction timeout:
     * Flyway does its own work (reading and parsing the scripts, its history table) between statements
     * of a transaction, and on a busy or slow host that took longer than the 1-3 s the store's own
     * transactions are allowed, so the database killed the session mid-migration. The pool keeps the
     * timeout; these connections are closed when the schema is up to date.
     */
    private static void migrate(JdbcStoreBuilder s, Dialect dialect, String description) {
        HikariConfig config = poolConfig(s, dialect, "cara-migrate", 2);
        config.setConnectionInitSql(null);
        config.setMinimumIdle(0);
        try (HikariDataSource migrations = new HikariDataSource(config)) {
            Flyway.configure()
                    .dataSource(migrations)
                    .locations(dialect.migrations())
                    .table("cara_schema_history")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new UnavailableException("could not bring the schema of " + description + " up to date: "
                    + e.getMessage(), e);
        } catch (HikariPool.PoolInitializationException e) {
            throw unreachable(description, e);
        }
    }

    /** A pool that could not make its first connection: the driver's reason, not Hikari's wrapper. */
    private static UnavailableException unreachable(String description, HikariPool.PoolInitializationException e) {
        return new UnavailableException("the database " + description + " cannot be reached: "
                + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
    }

    private static HikariConfig poolConfig(JdbcStoreBuilder s, Dialect dialect, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(s.url);
        if (s.user != null) {
            config.setUsername(s.user);
        }
        if (s.password != null) {
            config.setPassword(s.password);
        }
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1); // grows to the maximum under load, shrinks back when idle
        config.setAutoCommit(true);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // How long a caller waits for a connection while the database is down, before a 503.
        config.setConnectionTimeout(s.connectTimeout.toMillis());
        config.setValidationTimeout(Math.min(1000, s.connectTimeout.toMillis()));
        config.setInitializationFailTimeout(s.connectTimeout.toMillis());
        // Our transactions never wait on the client for long; a session that does is a paused process.
        Duration idleInTransaction = Duration.ofMillis(Math.max(1000, Math.min(s.leaseTtl.toMillis() / 3, 3000)));
        config.setConnectionInitSql(dialect.sessionSetupSql(idleInTransaction));
        // Bound every network wait, so a dead database (no RST) fails calls instead of hanging them.
        if (dialect == Dialect.POSTGRESQL) {
            putIfAbsent(config, "connectTimeout", Long.toString(Math.max(1, s.connectTimeout.toSeconds())));
            putIfAbsent(config, "socketTimeout", Long.toString(Math.max(1, s.socketTimeout.toSeconds())));
            putIfAbsent(config, "tcpKeepAlive", "true");
        } else {
            putIfAbsent(config, "connectTimeout", Long.toString(s.connectTimeout.toMillis()));
            putIfAbsent(config, "socketTimeout", Long.toString(s.socketTimeout.toMillis()));
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
}
