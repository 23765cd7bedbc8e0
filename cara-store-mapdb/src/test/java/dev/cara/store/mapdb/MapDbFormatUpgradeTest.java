package dev.cara.store.mapdb;

import dev.cara.sdk.Event;
import dev.cara.sdk.EventFilter;
import dev.cara.sdk.Node;
import dev.cara.sdk.Role;
import dev.cara.sdk.spi.TokenRecord;
import dev.cara.sdk.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.cara.sdk.testkit.ProjectFixtures.project;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files of other formats: one of format 1 (nodes only, what every release before projects wrote),
 * 2 (nodes and projects, before tokens and events) or 4 (records without words) is upgraded in place when opened, one of a newer
 * format is refused and left alone.
 */
class MapDbFormatUpgradeTest {
    @TempDir
    Path dir;

    /**
     * The format-1 layout exactly as the release before projects created and wrote it (MapDbFiles at
     * 24c00fd: a nodes map of node records, the format integer and the revision ceiling).
     */
    private static void writeFormat1(Path file, List<Node> nodes, long ceiling) {
        try (DB db = DBMaker.fileDB(file.toFile()).transactionEnable().fileMmapEnableIfSupported().make()) {
            HTreeMap<String, byte[]> map = db.hashMap(MapDbFiles.Entry.NODES.key, Serializer.STRING, Serializer.BYTE_ARRAY).create();
            db.atomicInteger(MapDbFiles.Entry.FORMAT.key, 1).create();
            db.atomicLong(MapDbFiles.Entry.CEILING.key, ceiling).create();
            nodes.forEach(n -> map.put(n.name(), firstVersionRecord(n)));
            db.commit();
        }
    }

    /**
     * The format-2 layout exactly as the release before tokens and events wrote it (MapDbFiles at
     * bdfb3cf): format 1's entries plus a projects map of project records and the project revision.
     */
    private static void writeFormat2(Path file, List<Node> nodes, long ceiling, List<Project> projects, long projectRevision) {
        try (DB db = DBMaker.fileDB(file.toFile()).transactionEnable().fileMmapEnableIfSupported().make()) {
            HTreeMap<String, byte[]> map = db.hashMap(MapDbFiles.Entry.NODES.key, Serializer.STRING, Serializer.BYTE_ARRAY).create();
            db.atomicInteger(MapDbFiles.Entry.FORMAT.key, 2).create();
            db.atomicLong(MapDbFiles.Entry.CEILING.key, ceiling).create();
            HTreeMap<String, byte[]> projectMap = db.hashMap(MapDbFiles.Entry.PROJECTS.key, Serializer.STRING, Serializer.BYTE_ARRAY).create();
            db.atomicLong(MapDbFiles.Entry.PROJECT_REVISION.key, projectRevision).create();
            nodes.forEach(n -> map.put(n.name(), firstVersionRecord(n)));
            projects.forEach(p -> projectMap.put(p.name(), ProjectRecords.write(p)));
            db.commit();
        }
    }

    /** A node record as the releases before format 5 wrote it: version 1, without words. */
    private static byte[] firstVersionRecord(Node n) {
        return new NodeRecords.Writer(NodeRecords.PLAIN_STRINGS).record(n);
    }

    @Test
    void aFormat2FileIsUpgradedInPlaceWithNodesAndProjectsIntactAndNoTokensOrEvents() {
        Path file = dir.resolve("cara.db");
        List<Node> nodes = List.of(Node.builder("w1").build().withMetadata(Node.builder("w1").build().metadata()
                .withResourceVersion("3")));
        Project web = project("web").withMetadata(project("web").metadata().withResourceVersion("4"));
        writeFormat2(file, nodes, 1_000_003, List.of(web), 4);

        try (MapDbStore store = open(file)) {
            assertEquals(nodes, store.list().nodes(), "every node as format 2 stored it");
            assertEquals(List.of(web), store.projects().list().projects(), "every project as format 2 stored it");
            assertEquals(4, store.projects().revision());
            assertEquals(List.of(), store.tokens().list());
            assertEquals(0, store.events().revision());
            store.tokens().create(new TokenRecord("t1", "ci", Role.ADMIN, "", Instant.parse("2026-01-01T00:00:00Z"),
                    Optional.empty(), false, "0".repeat(64)));
            store.events().record(Event.builder().warning().reason("NotReady").node("w1").message("no heartbeat")
                    .at(Instant.parse("2026-01-01T00:00:00Z")).build());
        }
        assertEquals(MapDbFiles.FORMAT_VERSION, formatOf(file));
        try (MapDbStore again = open(file)) {
            assertEquals(List.of("t1"), again.tokens().list().stream().map(TokenRecord::id).toList());
            assertEquals(1, again.events().list(EventFilter.all()).events().size());
            assertEquals(List.of(web), again.projects().list().projects());
        }
    }

    private static int formatOf(Path file) {
        try (DB db = DBMaker.fileDB(file.toFile()).readOnly().fileChannelEnable().fileLockDisable().make()) {
            return db.atomicInteger(MapDbFiles.Entry.FORMAT.key).open().get();
        }
    }

    private static MapDbStore open(Path file) {
        return MapDbStore.builder().path(file).shutdownHook(false).open();
    }

    /** Format 4 had the same entries, its records of version 1: they read as they were, the file says 5. */
    @Test
    void aFormat4FileWithFirstVersionRecordsIsUpgradedAndReadsAsItWas() {
        Path file = dir.resolve("cara.db");
        try (MapDbStore store = open(file)) {
            store.create(Node.builder("w4").hostname("w4.lan").label("zone", "b").build());
        }
        Node stored;
        try (DB db = DBMaker.fileDB(file.toFile()).transactionEnable().fileMmapEnableIfSupported().make()) {
            HTreeMap<String, byte[]> map = MapDbFiles.Entry.NODES.map(db);
            stored = NodeRecords.read(map.get("w4"), NodeRecords.quantityCache());
            map.put("w4", firstVersionRecord(stored));
            db.atomicInteger(MapDbFiles.Entry.FORMAT.key).open().set(4);
            db.commit();
        }
        try (MapDbStore store = open(file)) {
            assertEquals(stored, store.get("w4").orElseThrow());
        }
        assertEquals(MapDbFiles.FORMAT_VERSION, formatOf(file));
        try (MapDbStore store = open(file)) {
            assertEquals(stored, store.get("w4").orElseThrow(), "and again, once upgraded");
        }
    }

    @Test
    void aFormat1FileIsUpgradedInPlaceWithItsNodesIntactAndNoProjects() {
        Path file = dir.resolve("cara.db");
        List<Node> nodes = List.of(
                Node.builder("w1").label("zone", "a").build().withMetadata(Node.builder("w1").label("zone", "a").build()
                        .metadata().withResourceVersion("7")),
                Node.builder("w2").build().withMetadata(Node.builder("w2").build().metadata().withResourceVersion("8")));
        writeFormat1(file, nodes, 1_000_008);

        List<LogRecord> logged = new ArrayList<>();
        Logger logger = Logger.getLogger(MapDbFiles.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (MapDbStore store = open(file)) {
            assertEquals(nodes, store.list().nodes(), "every node as format 1 stored it");
            assertEquals(1_000_008, store.revision(), "the node revisions continue from the old ceiling");
            assertEquals(List.of(), store.projects().list().projects());
            assertEquals(0, store.projects().revision());
            store.projects().create(project("web"));
        } finally {
            logger.removeHandler(capture);
        }
        List<LogRecord> upgrades = logged.stream().filter(r -> r.getMessage().contains("upgraded")).toList();
        assertEquals(1, upgrades.size(), "one log line says so: " + logged);
        LogRecord line = upgrades.get(0);
        assertEquals(Level.INFO, line.getLevel());
        assertTrue(line.getMessage().contains(file.toString()) && line.getMessage().contains("from format 1 to "
                + MapDbFiles.FORMAT_VERSION), line.getMessage());
        assertEquals(MapDbFiles.FORMAT_VERSION, formatOf(file), "the file now says so too");

        logged.clear();
        logger.addHandler(capture);
        try (MapDbStore again = open(file)) {
            assertEquals(nodes, again.list().nodes());
            assertEquals(List.of("web"), again.projects().list().projects().stream().map(Project::name).toList());
        } finally {
            logger.removeHandler(capture);
        }
        assertFalse(logged.stream().anyMatch(r -> r.getMessage().contains("upgraded")), "an upgraded file is upgraded once");
    }

    @Test
    void aNewerFormatIsRefusedNamingTheFileAndBothVersionsAndLeftAsItWas() {
        Path file = dir.resolve("cara.db");
        open(file).close();
        int newer = MapDbFiles.FORMAT_VERSION + 1;
        try (DB db = DBMaker.fileDB(file.toFile()).transactionEnable().make()) {
            db.atomicInteger(MapDbFiles.Entry.FORMAT.key).open().set(newer);
            db.commit();
        }
        MapDbStoreException.NewerFormat e = assertThrows(MapDbStoreException.NewerFormat.class, () -> open(file));
        assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("format version " + newer), e.getMessage());
        assertTrue(e.getMessage().contains("reads format " + MapDbFiles.FORMAT_VERSION + " at most"), e.getMessage());
        assertEquals(newer, formatOf(file), "a newer file is never downgraded");
    }
}
