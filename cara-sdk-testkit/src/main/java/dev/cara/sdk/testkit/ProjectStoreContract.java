package dev.cara.sdk.testkit;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectScheduling;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.ProjectChange;
import dev.cara.sdk.spi.ProjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.cara.sdk.testkit.NodeStoreContract.race;
import static dev.cara.sdk.testkit.ProjectFixtures.project;
import static dev.cara.sdk.testkit.ProjectFixtures.spec;
import static dev.cara.sdk.testkit.ProjectFixtures.status;
import static dev.cara.sdk.testkit.ProjectFixtures.version;
import static dev.cara.sdk.testkit.ProjectFixtures.withoutVersion;
import static dev.cara.sdk.testkit.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The project storage contract: what every {@link ProjectStore} must do, as a JUnit 5 suite. Extend
 * it as {@link NodeStoreContract} is extended: implement {@link #newStore()} (a fresh, empty store
 * each time; the kit closes them), and override {@link #reopen} when the backend keeps data across a
 * close so that the durability test runs.
 *
 * <p>It checks CRUD and its errors, the resourceVersion rules (set on create, replaced only when
 * labels, annotations or spec change, never by a status write, never reused for a name), the revision
 * and the change feed (order, types, paging), deletes with a precondition, and races between threads:
 * compare-and-set updates, creates, status against spec writes, and the binding race (threads binding
 * one Pending project to different nodes: exactly one wins, the others get {@link ConflictException}).
 */
public abstract class ProjectStoreContract {
    // Owned by the JUnit thread running the test: every store this test opened, closed afterwards.
    private final List<ProjectStore> opened = new ArrayList<>();
    private ProjectStore store;

    /** A fresh, empty store. */
    protected abstract ProjectStore newStore();

    /** Opens again the data of a store the kit has just closed, or {@code null} (the default) when none is kept. */
    protected ProjectStore reopen(ProjectStore closed) {
        return null;
    }

    /** Threads used in the race tests. */
    protected int concurrency() {
        return 8;
    }

    protected final ProjectStore store() {
        return store;
    }

    @BeforeEach
    final void openStore() {
        store = newStore();
        if (store == null) {
            throw new AssertionError(getClass().getName() + ".newStore() returned null; it must return a fresh, empty store");
        }
        opened.add(store);
        assertEquals(List.of(), store.list().projects(), "newStore() must return an empty store");
    }

    @AfterEach
    final void closeStores() {
        opened.forEach(ProjectStore::close);
        opened.clear();
    }

    // ---------------------------------------------------------------- create, get, list

    @Test
    void createStoresTheProjectAndSetsAResourceVersion() {
        Project input = project("web").withStatus(status(ProjectPhase.PENDING, null, 1))
                .withMetadata(project("web").metadata().withResourceVersion("set-by-the-caller"));
        crudRules().createSetsItsOwnVersion("web", input,
                "create must store metadata, spec (every service, volume, route, expiry, request and selector) and status as given");
    }

    @Test
    void createOfATakenNameThrowsAlreadyExistsAndChangesNothing() {
        AlreadyExistsException e = crudRules().takenNameThrowsAndChangesNothing("web", project("web"), project("web", Map.of("other", "x")));
        assertTrue(e.getMessage().contains("project"), "the message must say it is a project: " + e.getMessage());
    }

    private CrudRules<Project> crudRules() {
        return new CrudRules<>("project", store::create, store::get, store::revision, ProjectFixtures::version, ProjectFixtures::withoutVersion);
    }

    @Test
    void getOfAMissingNameIsEmptyAndListIsSortedByName() {
        assertEquals(Optional.empty(), store.get("missing"));
        List<String> names = List.of("web-b", "web-10", "a", "web-a", "z");
        names.forEach(n -> store.create(project(n)));
        ProjectStore.Snapshot snapshot = store.list();
        assertEquals(names.stream().sorted().toList(), snapshot.projects().stream().map(Project::name).toList());
        assertEquals(store.revision(), snapshot.revision(), "with no concurrent writer, list's revision is the latest");
    }

    @Test
    void listOnNodeReturnsOnlyTheProjectsBoundToThatNode() {
        for (String name : List.of("p1", "p2", "p3", "p4")) {
            store.create(project(name));
        }
        store.updateStatus("p3", c -> status(ProjectPhase.SCHEDULED, "w1", 1), Fence.NONE);
        store.updateStatus("p1", c -> status(ProjectPhase.RUNNING, "w1", 2), Fence.NONE);
        store.updateStatus("p2", c -> status(ProjectPhase.RUNNING, "w2", 3), Fence.NONE);
        assertEquals(List.of("p1", "p3"), store.listOnNode("w1").stream().map(Project::name).toList());
        assertEquals(List.of(), store.listOnNode("w9"));
    }

    // ---------------------------------------------------------------- update

    @Test
    void updateReplacesLabelsAnnotationsSpecAndStatusAndKeepsNameAndCreatedAt() {
        Project created = store.create(project("web"));
        Project updated = store.update("web", null, c -> c
                .withMetadata(new ObjectMeta("renamed", Map.of("tier", "gold"), Map.of("owner", "ops"),
                        T0.plusSeconds(999), T0.plusSeconds(60), "forged"))
                .withSpec(spec("nginx:1.27"))
                .withStatus(status(ProjectPhase.FAILED, null, 5)));
        assertEquals("web", updated.name(), "update must keep the name");
        assertEquals(created.metadata().createdAt(), updated.metadata().createdAt(), "update must keep createdAt");
        assertEquals(T0.plusSeconds(60), updated.metadata().updatedAt(), "update must store the mutation's updatedAt");
        assertEquals(Map.of("tier", "gold"), updated.metadata().labels());
        assertEquals(Map.of("owner", "ops"), updated.metadata().annotations());
        assertEquals(spec("nginx:1.27"), updated.spec());
        assertEquals(status(ProjectPhase.FAILED, null, 5), updated.status(), "update must store the mutation's status");
        assertNotEquals("forged", version(updated), "update must ignore the mutation's resourceVersion");
        assertEquals(Optional.of(updated), store.get("web"));
        assertEquals(Optional.empty(), store.get("renamed"), "a mutation must not rename a project");
    }

    @Test
    void onlyChangesOfLabelsAnnotationsOrSpecReplaceTheResourceVersion() {
        Project p = store.create(project("web"));
        Set<String> seen = new HashSet<>(Set.of(version(p)));
        p = store.update("web", null, c -> c.withMetadata(c.metadata().withLabels(Map.of("team", "b"))));
        assertTrue(seen.add(version(p)), "changing labels must set a new resourceVersion");
        p = store.update("web", null, c -> c.withMetadata(c.metadata().withAnnotations(Map.of("a", "1"))));
        assertTrue(seen.add(version(p)), "changing annotations must set a new resourceVersion");
        p = store.update("web", null, c -> c.withSpec(spec("nginx:1.27")));
        assertTrue(seen.add(version(p)), "changing the spec must set a new resourceVersion");
        String last = version(p);
        p = store.update("web", null, c -> c.withStatus(status(ProjectPhase.PENDING, null, 2)));
        assertEquals(last, version(p), "an update that changes only the status must keep the resourceVersion");
        p = store.updateStatus("web", c -> status(ProjectPhase.SCHEDULED, "w1", 3), Fence.NONE);
        assertEquals(last, version(p), "a status write must never change the resourceVersion");
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() {
        Project created = store.create(project("web"));
        Project current = store.update("web", version(created), c -> c.withSpec(spec("nginx:1.27")));
        long revision = store.revision();
        ConflictException e = assertThrows(ConflictException.class,
                () -> store.update("web", version(created), c -> c.withSpec(spec("lost:write"))));
        assertFalse(e instanceof AlreadyExistsException);
        assertThrows(ConflictException.class, () -> store.delete("web", version(created)));
        assertEquals(Optional.of(current), store.get("web"), "a failed compare-and-set must change nothing");
        assertEquals(revision, store.revision(), "a failed compare-and-set must not advance the revision");
    }

    @Test
    void writesToAMissingNameAreNotFound() {
        crudRules().writesToAMissingNameAreNotFound(project("web"), "db", List.of(() -> store.update("db", null, c -> c),
                () -> store.updateStatus("db", c -> status(ProjectPhase.RUNNING, "w1", 1), Fence.NONE), () -> store.delete("db", null)));
    }

    @Test
    void aMutationThatThrowsWritesNothingAndItsExceptionReachesTheCaller() {
        Project created = store.create(project("web"));
        long revision = store.revision();
        ConflictException refusal = new ConflictException("the mutation refuses");
        assertEquals(refusal, assertThrows(ConflictException.class, () -> store.update("web", null, c -> {
            throw refusal;
        })));
        assertEquals(refusal, assertThrows(ConflictException.class, () -> store.updateStatus("web", c -> {
            throw refusal;
        }, Fence.NONE)));
        assertEquals(Optional.of(created), store.get("web"));
        assertEquals(revision, store.revision());
    }

    // ---------------------------------------------------------------- status

    @Test
    void updateStatusReplacesOnlyTheStatus() {
        Project created = store.create(project("web"));
        Project bound = store.updateStatus("web", c -> status(ProjectPhase.SCHEDULED, "w1", 1), Fence.NONE);
        assertEquals(status(ProjectPhase.SCHEDULED, "w1", 1), bound.status());
        assertEquals(created.metadata(), bound.metadata(), "a status write must leave metadata alone");
        assertEquals(created.spec(), bound.spec(), "a status write must leave the spec alone");
        assertEquals(Optional.of(bound), store.get("web"));
    }

    @Test
    void updateStatusReturningTheSameInstanceWritesNothing() {
        store.create(project("web"));
        Project written = store.updateStatus("web", c -> status(ProjectPhase.SCHEDULED, "w1", 1), Fence.NONE);
        long revision = store.revision();
        assertEquals(written, store.updateStatus("web", Project::status, Fence.NONE));
        assertEquals(revision, store.revision(), "a status mutation returning the current instance must not advance the revision");
        assertEquals(List.of(), store.changesSince(revision, 10), "nor appear in the feed");
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteReturnsTheLastStateAndVersionsAreNeverReused() {
        Set<String> issued = new HashSet<>();
        for (int round = 0; round < 4; round++) {
            Project p = store.create(project("web"));
            assertTrue(issued.add(version(p)), "round " + round + ": create reused resourceVersion " + version(p));
            p = store.update("web", null, c -> c.withSpec(spec("nginx:" + c.metadata().resourceVersion())));
            assertTrue(issued.add(version(p)), "round " + round + ": update reused resourceVersion " + version(p));
            Project last = store.updateStatus("web", c -> status(ProjectPhase.SCHEDULED, "w1", 2), Fence.NONE);
            assertEquals(last, store.delete("web", version(p)), "delete must return the project as it was just before");
            assertEquals(Optional.empty(), store.get("web"));
        }
    }

    @Test
    void aDeleteWhosePreconditionFailsIsAConflictAndRemovesNothing() {
        store.create(project("web"));
        Project bound = store.updateStatus("web", c -> status(ProjectPhase.SCHEDULED, "w1", 1), Fence.NONE);
        long revision = store.revision();
        ConflictException e = assertThrows(ConflictException.class,
                () -> store.delete("web", null, p -> p.phase() == ProjectPhase.PENDING));
        assertTrue(e.getMessage().contains("Scheduled"), "the conflict must say what the project is now: " + e.getMessage());
        assertEquals(Optional.of(bound), store.get("web"), "a refused delete must remove nothing");
        assertEquals(revision, store.revision());
        assertEquals(bound, store.delete("web", null, p -> p.phase() == ProjectPhase.SCHEDULED));
    }

    // ---------------------------------------------------------------- revision and feed

    @Test
    void theFeedReportsEveryWriteInOrderWithItsTypeAndPagesWithoutGaps() {
        long start = store.revision();
        Project a = store.create(project("a"));
        Project b = store.create(project("b"));
        Project a2 = store.update("a", null, c -> c.withSpec(spec("nginx:1.27")));
        Project b2 = store.updateStatus("b", c -> status(ProjectPhase.SCHEDULED, "w1", 1), Fence.NONE);
        Project gone = store.delete("b", null);
        List<ProjectChange> all = store.changesSince(start, 100);
        assertEquals(List.of(Change.Type.ADDED, Change.Type.ADDED, Change.Type.MODIFIED, Change.Type.MODIFIED, Change.Type.DELETED),
                all.stream().map(ProjectChange::type).toList());
        assertEquals(List.of(a, b, a2, b2, b2), all.stream().map(ProjectChange::project).toList(),
                "each change carries the project after it; a delete carries it as it was just before");
        assertEquals(b2, gone);
        assertEquals(store.revision(), all.get(all.size() - 1).revision());
        for (int limit = 1; limit <= 5; limit++) {
            List<ProjectChange> paged = new ArrayList<>();
            long from = start;
            for (List<ProjectChange> page; !(page = store.changesSince(from, limit)).isEmpty(); ) {
                assertTrue(page.size() <= limit, "a page must hold at most the limit");
                for (ProjectChange c : page) {
                    assertTrue(c.revision() > from, "revisions in the feed must strictly increase");
                    from = c.revision();
                }
                paged.addAll(page);
            }
            assertEquals(all, paged, "following the feed page by page (limit " + limit + ") must give every change once");
        }
    }

    @Test
    void onlyWritesAdvanceTheRevision() {
        long r = store.revision();
        store.create(project("web"));
        assertTrue(store.revision() > r, "create must advance the revision");
        r = store.revision();
        store.updateStatus("web", c -> status(ProjectPhase.SCHEDULED, "w1", 1), Fence.NONE);
        assertTrue(store.revision() > r, "a status write must advance the revision");
        r = store.revision();
        store.get("web");
        store.list();
        store.listOnNode("w1");
        store.changesSince(0, 10);
        assertThrows(AlreadyExistsException.class, () -> store.create(project("web")));
        assertThrows(ConflictException.class, () -> store.delete("web", null, p -> false));
        assertEquals(r, store.revision(), "reads and failed writes must not advance the revision");
    }

    // ---------------------------------------------------------------- races

    /**
     * The scheduler's binding is a compare-and-set on the phase: replicas that bind one Pending project
     * to different nodes at once must end with exactly one binding.
     */
    @Test
    void concurrentBindingsOfOnePendingProjectHaveExactlyOneWinner() {
        for (int round = 0; round < 5; round++) {
            String name = "web-" + round;
            store.create(project(name));
            List<NodeStoreContract.Outcome<Project>> outcomes = race(concurrency(), i -> () -> store.updateStatus(name,
                    c -> new ProjectScheduling.Bind("w" + i, 500).apply(c, T0.plusSeconds(1)), new Fence(1)));
            List<Project> winners = outcomes.stream().filter(o -> o.error() == null).map(NodeStoreContract.Outcome::value).toList();
            assertEquals(1, winners.size(), "round " + round + ": " + concurrency() + " threads bound " + name
                    + " to different nodes; exactly one must win, but " + winners.size() + " did: " + outcomes);
            for (NodeStoreContract.Outcome<Project> o : outcomes) {
                if (o.error() != null && !(o.error() instanceof ConflictException)) {
                    fail("a losing binding must get ConflictException, got " + o.error(), o.error());
                }
            }
            Project stored = store.get(name).orElseThrow();
            assertEquals(winners.get(0), stored, "the winner's binding must be what is stored");
            assertEquals(ProjectPhase.SCHEDULED, stored.phase());
        }
    }

    @Test
    void concurrentCompareAndSetUpdatesAndCreatesHaveExactlyOneWinner() {
        String expected = version(store.create(project("web")));
        var updates = race(concurrency(), i -> () -> store.update("web", expected,
                c -> c.withMetadata(c.metadata().withLabels(Map.of("winner", "t" + i)))));
        assertEquals(1, updates.stream().filter(o -> o.error() == null).count(), "exactly one CAS update must win: " + updates);
        var creates = race(concurrency(), i -> () -> store.create(project("db", Map.of("creator", "t" + i))));
        assertEquals(1, creates.stream().filter(o -> o.error() == null).count(), "exactly one create must win: " + creates);
        creates.stream().filter(o -> o.error() != null).forEach(o -> assertTrue(o.error() instanceof AlreadyExistsException,
                "a losing create must get AlreadyExistsException, got " + o.error()));
    }

    @Test
    void statusWritesAndSpecWritesNeverOverwriteEachOther() {
        store.create(project("web", Map.of("count", "0")));
        int writes = 20;
        var outcomes = race(Math.max(2, concurrency()), i -> () -> {
            for (int k = 0; k < writes; k++) {
                if (i % 2 == 0) {
                    store.updateStatus("web", c -> status(ProjectPhase.PENDING, null, Integer.parseInt(count(c)) + 1), Fence.NONE);
                } else {
                    store.update("web", null, c -> c.withMetadata(c.metadata().withLabels(
                            Map.of("count", Integer.toString(Integer.parseInt(c.metadata().labels().get("count")) + 1)))));
                }
            }
            return null;
        });
        outcomes.stream().filter(o -> o.error() != null).forEach(o -> fail("a concurrent write failed", o.error()));
        int threads = Math.max(2, concurrency());
        Project end = store.get("web").orElseThrow();
        assertEquals(Integer.toString(threads / 2 * writes), end.metadata().labels().get("count"),
                "every spec write increments a label; a lower count means a status write overwrote a spec write");
        assertEquals(Integer.toString((threads + 1) / 2 * writes), count(end),
                "every status write increments a counter; a lower count means a spec write overwrote a status write");
    }

    // The counter that statusWritesAndSpecWritesNeverOverwriteEachOther keeps in the Phase reason ("Kit<n>").
    private static String count(Project p) {
        return p.status().condition(ProjectStatus.PHASE).map(c -> c.reason().substring(3)).orElse("0");
    }

    // ---------------------------------------------------------------- lifecycle and durability

    @Test
    void describeSaysSomethingAndCloseIsIdempotent() {
        assertTrue(store.describe() != null && !store.describe().isBlank(), "describe() must name the store for logs");
        ProjectStore s = newStore();
        opened.add(s);
        s.create(project("web"));
        s.close();
        s.close();
    }

    @Test
    void everythingWrittenSurvivesCloseAndReopen() {
        store.create(project("kept"));
        store.create(project("bound"));
        store.create(project("gone"));
        store.update("kept", null, c -> c.withSpec(spec("nginx:1.27")));
        store.updateStatus("bound", c -> status(ProjectPhase.RUNNING, "w1", 4), Fence.NONE);
        store.delete("gone", null);
        ProjectStore.Snapshot before = store.list();
        store.close();
        ProjectStore again = reopen(store);
        Assumptions.assumeTrue(again != null, "the backend cannot reopen a store (reopen returned null)");
        opened.add(again);
        assertEquals(before.projects(), again.list().projects(),
                "after close and reopen, every create, update, status write and delete must have survived");
        assertTrue(again.revision() >= before.revision(), "the revision went back across reopen");
        Set<String> issued = new HashSet<>();
        before.projects().forEach(p -> issued.add(version(p)));
        String fresh = version(again.create(project("gone")));
        assertFalse(issued.contains(fresh), "after reopen, create reused resourceVersion " + fresh);
    }
}
