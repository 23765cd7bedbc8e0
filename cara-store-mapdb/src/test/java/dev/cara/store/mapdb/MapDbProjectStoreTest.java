package dev.cara.store.mapdb;

import dev.cara.sdk.Node;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.testkit.ProjectStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.cara.sdk.testkit.ProjectFixtures.project;
import static dev.cara.sdk.testkit.ProjectFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project contract, the whole of it, on the projects of a MapDB store (one fresh file per store,
 * reopened from the file), plus what is MapDB's own: projects share the file with nodes, every write
 * (status writes too) is on disk when it returns, and a full disk fails project writes cleanly.
 */
class MapDbProjectStoreTest extends ProjectStoreContract {
    @TempDir
    Path dir;

    private final AtomicInteger files = new AtomicInteger();
    // Owned by the JUnit thread: the MapDB store behind each project store the kit got.
    private final Map<ProjectStore, MapDbStore> owners = new IdentityHashMap<>();

    @Override
    protected ProjectStore newStore() {
        return projectsOf(open(dir.resolve("store-" + files.incrementAndGet() + ".db")));
    }

    @Override
    protected ProjectStore reopen(ProjectStore closed) {
        MapDbStore owner = owners.get(closed);
        owner.close();
        return projectsOf(open(owner.file()));
    }

    @AfterEach
    void closeOwners() {
        owners.values().forEach(MapDbStore::close);
    }

    private ProjectStore projectsOf(MapDbStore store) {
        ProjectStore projects = store.projects();
        owners.put(projects, store);
        return projects;
    }

    private static MapDbStore open(Path file) {
        return MapDbStore.builder().path(file).shutdownHook(false).open();
    }

    @Test
    void projectsAndNodesShareTheFileAndEachKeepsItsOwnFeed() {
        Path file = dir.resolve("shared.db");
        try (MapDbStore store = open(file)) {
            store.create(Node.builder("w1").build());
            store.create(Node.builder("w2").build());
            store.projects().create(project("web"));
            assertEquals(2, store.revision(), "project writes take no node revisions");
            assertEquals(1, store.projects().revision(), "projects count their own revisions");
            assertEquals(1, store.projects().changesSince(0, 10).size());
        }
        try (MapDbStore again = open(file)) {
            assertEquals(List.of("w1", "w2"), again.list().nodes().stream().map(Node::name).toList());
            assertEquals(List.of("web"), again.projects().list().projects().stream().map(Project::name).toList());
            assertEquals(1, again.projects().revision(), "the exact project revision is on disk");
            assertEquals(List.of(), again.projects().changesSince(1, 10), "the latest revision is followable after a reopen");
            assertThrows(HistoryGoneException.class, () -> again.projects().changesSince(0, 10),
                    "the history starts at the open, as the node feed's does");
        }
    }

    /** A status write is a decision (a binding): it must be on disk when it returns, with no flush window. */
    @Test
    void aProjectStatusWriteIsDurableWithoutAFlush() {
        Path file = dir.resolve("status.db");
        MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).shutdownHook(false).open();
        store.projects().create(project("web"));
        store.projects().updateStatus("web", p -> status(ProjectPhase.SCHEDULED, "w1", 1), Fence.NONE);
        Project bound = store.projects().get("web").orElseThrow();
        // Read the file as a second opener would, with the store still open: what is committed is there.
        try (org.mapdb.DB db = org.mapdb.DBMaker.fileDB(file.toFile()).readOnly().fileChannelEnable().fileLockDisable().make()) {
            byte[] record = db.hashMap(MapDbFiles.Entry.PROJECTS.key, org.mapdb.Serializer.STRING, org.mapdb.Serializer.BYTE_ARRAY).open().get("web");
            assertEquals(bound, ProjectRecords.read(record));
        } finally {
            store.close();
        }
    }

    @Test
    void aFullDiskFailsProjectWritesCleanlyAndTheyResumeWhenSpaceReturns() {
        Path file = dir.resolve("full.db");
        AtomicLong free = new AtomicLong(Long.MAX_VALUE);
        // No committer thread: its retries on the full disk would only log.
        try (MapDbStore store = MapDbStore.builder().path(file).statusFlushInterval(Duration.ZERO).shutdownHook(false)
                .freeSpace(free::get).open()) {
            ProjectStore projects = store.projects();
            projects.create(project("kept"));
            long revision = projects.revision();
            free.set(DiskThread.MARGIN - 1);

            UnavailableException full = assertThrows(UnavailableException.class, () -> projects.create(project("new")));
            assertTrue(full.getMessage().contains(file.toAbsolutePath().toString()), full.getMessage());
            assertTrue(full.getMessage().contains("No space left on device"), full.getMessage());
            assertThrows(UnavailableException.class,
                    () -> projects.updateStatus("kept", p -> status(ProjectPhase.SCHEDULED, "w1", 1), Fence.NONE));
            assertThrows(UnavailableException.class, () -> projects.delete("kept", null));
            assertEquals(List.of("kept"), names(projects), "no failed write shows");
            assertEquals(ProjectPhase.PENDING, projects.get("kept").orElseThrow().phase());
            assertEquals(revision, projects.revision(), "a failed write takes no revision");

            free.set(Long.MAX_VALUE);
            projects.create(project("new"));
            assertEquals(revision + 1, projects.revision());
        }
        try (MapDbStore again = open(file)) {
            assertEquals(List.of("kept", "new"), names(again.projects()));
        }
    }

    @Test
    void aClosedStoreRefusesProjectCalls() {
        MapDbStore store = open(dir.resolve("closed.db"));
        ProjectStore projects = store.projects();
        store.close();
        assertThrows(IllegalStateException.class, () -> projects.create(project("web")));
        assertThrows(IllegalStateException.class, projects::list);
    }

    private static List<String> names(ProjectStore projects) {
        return new ArrayList<>(projects.list().projects().stream().map(Project::name).toList());
    }
}
