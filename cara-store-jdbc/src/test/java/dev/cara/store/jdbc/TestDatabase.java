package dev.cara.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A private schema (PostgreSQL) or database (MariaDB) for one test class, dropped afterwards, so
 * that parallel runs never see each other's rows. Only ever on 127.0.0.1.
 */
final class TestDatabase implements AutoCloseable {
    static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final String MARIADB_ADMIN = "jdbc:mariadb://127.0.0.1:3306/test?user=root";

    private final String adminUrl;
    private final String name;
    private final String url;
    private final String dropSql;

    private TestDatabase(String adminUrl, String name, String url, String createSql, String dropSql) {
        this.adminUrl = adminUrl;
        this.name = name;
        this.url = url;
        this.dropSql = dropSql;
        execute(adminUrl, createSql);
    }

    /** A private schema on {@code postgresql} or {@code mariadb}, as the migration folders are named. */
    static TestDatabase of(String dialect) {
        return dialect.equals("postgresql") ? postgres() : mariadb();
    }

    static TestDatabase postgres() {
        String name = uniqueName();
        return new TestDatabase(PG_ADMIN, name,
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + name + "&ApplicationName=" + name,
                "CREATE SCHEMA " + name, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    static TestDatabase mariadb() {
        String name = uniqueName();
        return new TestDatabase(MARIADB_ADMIN, name, "jdbc:mariadb://127.0.0.1:3306/" + name + "?user=root",
                "CREATE DATABASE " + name, "DROP DATABASE IF EXISTS " + name);
    }

    /** The JDBC URL of the private schema or database. */
    String url() {
        return url;
    }

    /** The schema or database name, also the PostgreSQL application name of its connections. */
    String name() {
        return name;
    }

    /** Runs SQL against the admin connection (for example to terminate this test's backends). */
    void admin(String sql) {
        execute(adminUrl, sql);
    }

    /**
     * Sets the lease row to {@code term}, held by {@code holder} and unexpired for an hour by the
     * database clock: what a replica that won the election at that term leaves, without running one.
     * A newer term deposes whoever held an older one.
     */
    void lease(String holder, long term) {
        boolean pg = url.startsWith("jdbc:postgresql:");
        execute(adminUrl, "UPDATE " + name + ".cara_lease SET holder = '" + holder + "', term = " + term + ", expires_at = "
                + (pg ? "clock_timestamp() + INTERVAL '1 hour'" : "UTC_TIMESTAMP(6) + INTERVAL 1 HOUR"));
    }

    /** Removes every node, project, token, event and change and resets the revision, the floors and the lease: an empty store again. */
    void empty() {
        boolean pg = url.startsWith("jdbc:postgresql:");
        String prefix = pg ? name + "." : name + ".";
        for (String sql : new String[] {
                "DELETE FROM " + prefix + "cara_node",
                "DELETE FROM " + prefix + "cara_change",
                "DELETE FROM " + prefix + "cara_project",
                "DELETE FROM " + prefix + "cara_project_change",
                "DELETE FROM " + prefix + "cara_token",
                "DELETE FROM " + prefix + "cara_event",
                "DELETE FROM " + prefix + "cara_event_change",
                "UPDATE " + prefix + "cara_event_revision SET revision = 0, history_floor = 0, newest_ns = " + Long.MIN_VALUE
                        + ", cutoff_ns = " + Long.MIN_VALUE + ", row_count = 0",
                "UPDATE " + prefix + "cara_revision SET revision = 0, history_floor = 0, project_history_floor = 0",
                "UPDATE " + prefix + "cara_lease SET holder = '', term = 0, expires_at = " + (pg
                        ? "TIMESTAMPTZ '1970-01-01 00:00:00+00'" : "'1970-01-01 00:00:00'")}) {
            execute(adminUrl, sql);
        }
    }

    @Override
    public void close() {
        execute(adminUrl, dropSql);
    }

    private static String uniqueName() {
        return "cara_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database setup failed (" + sql + "): " + e.getMessage(), e);
        }
    }
}
