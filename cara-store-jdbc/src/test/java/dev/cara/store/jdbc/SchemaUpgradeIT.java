package dev.cara.store.jdbc;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.Node;
import dev.cara.sdk.Project;
import dev.cara.sdk.Role;
import dev.cara.sdk.spi.TokenRecord;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.ProjectStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.cara.sdk.testkit.ProjectFixtures.project;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A database left at an older schema version by an older cara upgrades in place when a store opens it. */
class SchemaUpgradeIT {

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aDatabaseAtSchemaVersion1UpgradesInPlaceWithNodesIntact(String dialect) throws SQLException {
        try (TestDatabase db = atVersion(dialect, "1")) {
            // Nodes and their feed as the version-1 store wrote them, at revisions 1 and 2.
            Node web = JdbcStoreBehaviour.node("web");
            Node db1 = JdbcStoreBehaviour.node("db");
            try (Connection c = DriverManager.getConnection(db.url())) {
                insertNode(c, web, 1);
                insertNode(c, db1, 2);
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("UPDATE cara_revision SET revision = 2 WHERE id = 1");
                }
            }
            try (JdbcStore store = JdbcStore.builder(db.url()).build()) {
                assertEquals(List.of("1", "2", "3", "4"), versions(db), "the store must migrate the schema to the latest version");
                assertEquals(2, store.revision(), "the revision must survive the upgrade");
                assertEquals(List.of(db1.withMetadata(db1.metadata().withResourceVersion("2")),
                        web.withMetadata(web.metadata().withResourceVersion("1"))), store.list().nodes());
                assertEquals(List.of(Change.Type.ADDED, Change.Type.ADDED),
                        store.changesSince(0, 10).stream().map(Change::type).toList(), "the node feed must survive");
                ProjectStore projects = store.projects();
                assertEquals(Optional.empty(), projects.get("web"));
                assertEquals("3", projects.create(project("web")).metadata().resourceVersion(),
                        "projects continue the store's revision");
                assertEquals(1, projects.changesSince(2, 10).size());
                assertTrue(store.get("web").isPresent());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aDatabaseAtSchemaVersion2UpgradesToVersion4WithNodesAndProjectsIntact(String dialect) throws SQLException {
        try (TestDatabase db = atVersion(dialect, "2")) {
            // A node at revision 1 and a project at revision 2, as the version-2 store wrote them.
            Node web = JdbcStoreBehaviour.node("web");
            Project site = project("site");
            try (Connection c = DriverManager.getConnection(db.url())) {
                insertNode(c, web, 1);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO cara_project (name, resource_version, revision, "
                        + "phase, node_ref, meta_json, status_json) VALUES (?, 2, 2, ?, NULL, ?, ?)")) {
                    ps.setString(1, site.name());
                    ps.setString(2, site.phase().name());
                    ps.setString(3, ProjectCodec.metaJson(site));
                    ps.setString(4, ProjectCodec.statusJson(site.status()));
                    ps.executeUpdate();
                }
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("UPDATE cara_revision SET revision = 2 WHERE id = 1");
                }
            }
            try (JdbcStore store = JdbcStore.builder(db.url()).build()) {
                assertEquals(List.of("1", "2", "3", "4"), versions(db), "the store must migrate the schema from 2 to 4");
                assertEquals(2, store.revision());
                assertEquals(List.of(web.withMetadata(web.metadata().withResourceVersion("1"))), store.list().nodes());
                assertEquals(List.of(site.withMetadata(site.metadata().withResourceVersion("2"))), store.projects().list().projects());
                assertEquals(List.of(), store.tokens().list(), "no tokens yet");
                TokenRecord token = new TokenRecord("t1", "ci", Role.ADMIN, "", Instant.parse("2026-01-01T00:00:00Z"),
                        Optional.empty(), false, "0".repeat(64));
                store.tokens().create(token);
                assertEquals(Optional.of(token), store.tokens().get("t1"));
                assertEquals(0, store.events().revision(), "events count on their own, from 0");
                Event e = store.events().record(Event.builder().warning().reason("NotReady").node("web").message("no heartbeat")
                        .at(Instant.parse("2026-01-01T00:00:00Z")).build());
                assertEquals("1", e.metadata().resourceVersion());
                assertEquals(List.of(e), store.events().list(EventFilter.all()).events());
                assertEquals(2, store.revision(), "token and event writes leave the node revision alone");
            }
        }
    }

    /** A private schema migrated as far as {@code version}, as an older cara left it. */
    private static TestDatabase atVersion(String dialect, String version) {
        TestDatabase db = TestDatabase.of(dialect);
        Flyway.configure().dataSource(db.url(), null, null).locations("classpath:db/migration/" + dialect)
                .table("cara_schema_history").target(version).load().migrate();
        return db;
    }

    private static void insertNode(Connection c, Node node, long revision) throws SQLException {
        for (String table : List.of("cara_node", "cara_change")) {
            boolean change = table.equals("cara_change");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (name, resource_version, revision, "
                    + (change ? "change_type, " : "") + "meta_json, status_json) VALUES (?, ?, ?, " + (change ? "1, " : "") + "?, ?)")) {
                ps.setString(1, node.name());
                ps.setLong(2, revision);
                ps.setLong(3, revision);
                ps.setString(4, NodeCodec.metaJson(node));
                ps.setString(5, NodeCodec.statusJson(node.status()));
                ps.executeUpdate();
            }
        }
    }

    private static List<String> versions(TestDatabase db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM cara_schema_history WHERE success = "
                     + (db.url().startsWith("jdbc:postgresql:") ? "true" : "1") + " ORDER BY installed_rank")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
