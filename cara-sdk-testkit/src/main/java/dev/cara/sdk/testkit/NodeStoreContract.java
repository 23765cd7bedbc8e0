package dev.cara.sdk.testkit;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeSpec;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ObjectMeta;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.NodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static dev.cara.sdk.testkit.StoreFixtures.T0;
import static dev.cara.sdk.testkit.StoreFixtures.node;
import static dev.cara.sdk.testkit.StoreFixtures.status;
import static dev.cara.sdk.testkit.StoreFixtures.statusCount;
import static dev.cara.sdk.testkit.StoreFixtures.version;
import static dev.cara.sdk.testkit.StoreFixtures.withoutVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The storage contract: what every {@link NodeStore} must do, as a JUnit 5 suite.
 *
 * <h2>Running it against your backend</h2>
 * <ol>
 *   <li>Depend on {@code dev.cara:cara-sdk} with {@code <type>test-jar</type><scope>test</scope>},
 *       plus {@code org.junit.jupiter:junit-jupiter} and {@code org.quicktheories:quicktheories}
 *       (test scope).</li>
 *   <li>Extend this class and implement {@link #newStore()}: return a fresh, empty store each time
 *       (a new file in a temporary directory, a new schema, ...). The kit closes every store it was
 *       given after each test.</li>
 *   <li>If your store keeps data across a close, override {@link #reopen(NodeStore)} to open the
 *       same data again; the durability tests then check that what was written survives. Otherwise
 *       those tests are skipped.</li>
 *   <li>Run it: {@code ./mvnw verify}. A slow backend may lower {@link #concurrency()} and
 *       {@link #modelSequences()}.</li>
 * </ol>
 *
 * <h2>What it checks</h2>
 * CRUD and its errors ({@link NotFoundException}, {@link AlreadyExistsException},
 * {@link ConflictException}); the resourceVersion rules (set on create, replaced only when labels,
 * annotations or spec change, never by a status write, never reused for a name); the revision
 * (grows with every write, not with reads, failed writes or a status mutation that returns the
 * current status instance); the change feed (order, types, paging, consistency with
 * {@link NodeStore#list()} snapshots while writers run); compare-and-set races between threads
 * (exactly one winner); status and spec writers never overwriting each other; and a model-based
 * property test comparing the store with a trivial reference model over random operation
 * sequences ({@link StoreModelCheck}).
 *
 * <p>The kit writes at most a few thousand changes per test, and only asks the change feed for
 * recent revisions, so a store must keep at least that much history; older history may be
 * compacted away ({@link HistoryGoneException}). It expects {@code changesSince} to fill a page
 * (up to the limit) whenever that many changes exist, as watch pumps stop at a short page.
 *
 * <h2>Reading a failure</h2>
 * Each assertion says which rule broke. The model test prints the shortest operation sequence
 * QuickTheories found, then {@code Expected what the store did {...} to be what the reference model
 * predicts {...} after <step>}; resourceVersions there are renamed {@code v0, v1, ...} in the order
 * the store issued them, so a version bumped or kept wrongly shows as a different name.
 */
public abstract class NodeStoreContract {
    /** How long a concurrent test may take before the kit calls the store stuck. */
    private static final long RACE_TIMEOUT_SECONDS = 60;

    // Owned by the JUnit thread running the test: every store this test opened, closed afterwards.
    private final List<NodeStore> opened = new ArrayList<>();
    private NodeStore store;

    /** A fresh, empty store. Called once per test (more often by the model test and reopen tests). */
    protected abstract NodeStore newStore();

    /**
     * Opens again the data of a store that the kit has just closed, or returns {@code null} (the
     * default) when the backend keeps nothing across a close. The kit closes the result too.
     */
    protected NodeStore reopen(NodeStore closed) {
        return null;
    }

    /** Threads used in the race tests. */
    protected int concurrency() {
        return 8;
    }

    /**
     * Random operation sequences the model test runs; each gets a fresh store. Lower it for a slow
     * backend; the kit never runs fewer than {@value StoreModelCheck#MIN_SEQUENCES}.
     */
    protected int modelSequences() {
        return StoreModelCheck.DEFAULT_SEQUENCES;
    }

    /** The store of the running test. */
    protected final NodeStore store() {
        return store;
    }

    /** A fresh store that the kit closes after the test. */
    protected final NodeStore openFreshStore() {
        NodeStore fresh = newStore();
        if (fresh == null) {
            throw new AssertionError(getClass().getName() + ".newStore() returned null; it must return a fresh, empty store");
        }
        opened.add(fresh);
        return fresh;
    }

    @BeforeEach
    final void openStore() {
        store = openFreshStore();
        assertEquals(List.of(), store.list().nodes(), "newStore() must return an empty store");
    }

    @AfterEach
    final void closeStores() {
        AssertionError failure = null;
        for (NodeStore s : opened) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new AssertionError("closing " + s.describe() + " failed", e);
                }
            }
        }
        opened.clear();
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- create, get, list

    @Test
    void createStoresTheNodeAndSetsAResourceVersion() {
        Node input = node("web-1").withStatus(status(3))
                .withMetadata(node("web-1").metadata().withResourceVersion("set-by-the-caller"));
        Node created = store.create(input);

        String rv = version(created);
        assertNotEquals("set-by-the-caller", rv, "create must set its own resourceVersion, not keep the caller's");
        assertEquals(withoutVersion(input), withoutVersion(created),
                "create must store labels, annotations, spec, status and times exactly as given");
        assertEquals(Optional.of(created), store.get("web-1"), "get must return what create returned");
    }

    @Test
    void createOfATakenNameThrowsAlreadyExistsAndChangesNothing() {
        Node first = store.create(node("web-1"));
        long revision = store.revision();

        AlreadyExistsException e = assertThrows(AlreadyExistsException.class,
                () -> store.create(node("web-1", Map.of("other", "x"), NodeSpec.EMPTY)),
                "creating a taken name must throw AlreadyExistsException");
        assertEquals("web-1", e.name(), "AlreadyExistsException must name the node");
        assertEquals(Optional.of(first), store.get("web-1"), "a failed create must leave the existing node alone");
        assertEquals(revision, store.revision(), "a failed create must not advance the revision");
    }

    @Test
    void getOfAMissingNameIsEmpty() {
        assertEquals(Optional.empty(), store.get("missing"));
        store.create(node("web-1"));
        assertEquals(Optional.empty(), store.get("web-2"));
    }

    @Test
    void listReturnsEveryNodeSortedByName() {
        List<String> names = List.of("node-b", "node-10", "node-a", "node-9", "a", "z-1");
        Map<String, Node> created = new HashMap<>();
        for (String name : names) {
            created.put(name, store.create(node(name)));
        }
        NodeStore.Snapshot snapshot = store.list();
        List<String> listed = snapshot.nodes().stream().map(Node::name).toList();
        assertEquals(names.stream().sorted().toList(), listed, "list must return every node, sorted by name");
        for (Node n : snapshot.nodes()) {
            assertEquals(created.get(n.name()), n, "list must return each node as stored");
        }
        assertEquals(store.revision(), snapshot.revision(), "with no concurrent writer, list's revision is the latest");
    }

    // ---------------------------------------------------------------- update

    @Test
    void updateReplacesLabelsAnnotationsSpecAndStatus() {
        Node created = store.create(node("web-1"));
        Instant later = T0.plusSeconds(60);
        Node updated = store.update("web-1", null, current -> current
                .withMetadata(current.metadata().withLabels(Map.of("zone", "b", "tier", "gold"))
                        .withAnnotations(Map.of("owner", "ops"))
                        .withTimes(current.metadata().createdAt(), later))
                .withSpec(new NodeSpec("web-1.example", true))
                .withStatus(status(7)));

        assertEquals(Map.of("zone", "b", "tier", "gold"), updated.metadata().labels());
        assertEquals(Map.of("owner", "ops"), updated.metadata().annotations());
        assertEquals(new NodeSpec("web-1.example", true), updated.spec());
        assertEquals(status(7), updated.status(), "update must store the status the mutation returns");
        assertEquals(later, updated.metadata().updatedAt(), "update must store the updatedAt the mutation returns");
        assertEquals(created.metadata().createdAt(), updated.metadata().createdAt());
        assertEquals(Optional.of(updated), store.get("web-1"), "get must return what update returned");
    }

    @Test
    void updateKeepsNameAndCreatedAtAndIgnoresTheMutationsResourceVersion() {
        Node created = store.create(node("web-1"));
        Node updated = store.update("web-1", null, current -> current.withMetadata(new ObjectMeta("renamed",
                Map.of("zone", "c"), current.metadata().annotations(), T0.plusSeconds(999), T0.plusSeconds(5),
                "forged-version")));

        assertEquals("web-1", updated.name(), "update must keep the name");
        assertEquals(created.metadata().createdAt(), updated.metadata().createdAt(), "update must keep createdAt");
        assertNotEquals("forged-version", version(updated), "update must ignore the resourceVersion the mutation returns");
        assertEquals(Optional.empty(), store.get("renamed"), "a mutation must not be able to rename a node");
        assertEquals(Optional.of(updated), store.get("web-1"));
    }

    @Test
    void updateThatChangesLabelsAnnotationsOrSpecReplacesTheResourceVersion() {
        Node n = store.create(node("web-1"));
        Set<String> seen = new HashSet<>(Set.of(version(n)));

        n = store.update("web-1", null, c -> c.withMetadata(c.metadata().withLabels(Map.of("zone", "b"))));
        assertTrue(seen.add(version(n)), "changing labels must set a new resourceVersion, got again " + version(n));
        n = store.update("web-1", null, c -> c.withMetadata(c.metadata().withAnnotations(Map.of("a", "1"))));
        assertTrue(seen.add(version(n)), "changing annotations must set a new resourceVersion, got again " + version(n));
        n = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        assertTrue(seen.add(version(n)), "changing spec must set a new resourceVersion, got again " + version(n));
    }

    @Test
    void updateThatChangesNothingDesiredKeepsTheResourceVersion() {
        Node created = store.create(node("web-1"));
        Node sameDesired = store.update("web-1", null, c -> c.withStatus(status(4))
                .withMetadata(c.metadata().withTimes(c.metadata().createdAt(), T0.plusSeconds(30))));
        assertEquals(version(created), version(sameDesired),
                "an update that changes only status and updatedAt must keep the resourceVersion");
        Node identity = store.update("web-1", null, c -> c);
        assertEquals(version(created), version(identity), "an update that changes nothing must keep the resourceVersion");
        assertEquals(status(4), identity.status());
    }

    @Test
    void updateWithTheCurrentVersionSucceeds() {
        Node created = store.create(node("web-1"));
        Node updated = store.update("web-1", version(created), c -> c.withSpec(c.spec().withUnschedulable(true)));
        assertTrue(updated.spec().unschedulable());
        Node again = store.update("web-1", version(updated), c -> c.withSpec(c.spec().withUnschedulable(false)));
        assertFalse(again.spec().unschedulable());
    }

    @Test
    void updateWithAStaleVersionThrowsConflictAndChangesNothing() {
        Node created = store.create(node("web-1"));
        Node current = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        long revision = store.revision();
        AtomicInteger calls = new AtomicInteger();

        ConflictException e = assertThrows(ConflictException.class, () -> store.update("web-1", version(created), c -> {
            calls.incrementAndGet();
            return c.withMetadata(c.metadata().withLabels(Map.of("lost", "write")));
        }), "an update with a stale resourceVersion must throw ConflictException");
        assertFalse(e instanceof AlreadyExistsException, "a stale version is a conflict, not AlreadyExists");
        assertEquals(Optional.of(current), store.get("web-1"), "a conflicting update must change nothing");
        assertEquals(revision, store.revision(), "a conflicting update must not advance the revision");
        assertThrows(ConflictException.class, () -> store.update("web-1", "no-such-version", c -> c),
                "an update with a version the store never issued must throw ConflictException");
    }

    @Test
    void updateOfAMissingNameThrowsNotFound() {
        store.create(node("web-1"));
        long revision = store.revision();
        NotFoundException e = assertThrows(NotFoundException.class, () -> store.update("web-2", null, c -> c));
        assertEquals("web-2", e.name(), "NotFoundException must name the node");
        assertThrows(NotFoundException.class, () -> store.update("web-2", "1", c -> c),
                "a missing node is NotFound even when a version is given");
        assertEquals(revision, store.revision(), "a failed update must not advance the revision");
        assertEquals(Optional.empty(), store.get("web-2"), "update must never create a node");
    }

    @Test
    void aMutationThatThrowsWritesNothing() {
        Node created = store.create(node("web-1"));
        long revision = store.revision();
        IllegalStateException boom = new IllegalStateException("the mutation refuses");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> store.update("web-1", null, c -> {
            throw boom;
        }));
        assertTrue(causedBy(thrown, boom), "update must pass on the mutation's exception, got " + thrown);
        thrown = assertThrows(RuntimeException.class, () -> store.updateStatus("web-1", c -> {
            throw boom;
        }, Fence.NONE));
        assertTrue(causedBy(thrown, boom), "updateStatus must pass on the mutation's exception, got " + thrown);
        assertEquals(Optional.of(created), store.get("web-1"), "a failed mutation must change nothing");
        assertEquals(revision, store.revision(), "a failed mutation must not advance the revision");
    }

    // ---------------------------------------------------------------- updateStatus

    @Test
    void updateStatusReplacesOnlyTheStatusAndKeepsTheResourceVersion() {
        Node created = store.create(node("web-1"));
        Node updated = store.updateStatus("web-1", c -> status(1), Fence.NONE);

        assertEquals(status(1), updated.status());
        assertEquals(created.metadata(), updated.metadata(), "updateStatus must leave metadata (and resourceVersion) alone");
        assertEquals(created.spec(), updated.spec(), "updateStatus must leave spec alone");
        assertEquals(Optional.of(updated), store.get("web-1"), "get must return what updateStatus returned");

        Node spec = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        for (int i = 2; i < 6; i++) {
            Node n = store.updateStatus("web-1", c -> status(statusCount(c.status()) + 1), Fence.NONE);
            assertEquals(version(spec), version(n), "updateStatus must never change the resourceVersion");
            assertEquals(i, statusCount(n.status()), "updateStatus's mutation must see the latest status");
        }
    }

    @Test
    void updateStatusReturningTheSameInstanceWritesNothing() {
        store.create(node("web-1"));
        Node written = store.updateStatus("web-1", c -> status(1), Fence.NONE);
        long revision = store.revision();

        Node unchanged = store.updateStatus("web-1", Node::status, Fence.NONE);
        assertEquals(written, unchanged, "a no-op updateStatus must return the current node");
        assertEquals(revision, store.revision(), "updateStatus whose mutation returns the current status instance "
                + "must not advance the revision");
        assertEquals(List.of(), store.changesSince(revision, 10), "a no-op updateStatus must not appear in the change feed");
    }

    @Test
    void updateStatusOfAMissingNameThrowsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> store.updateStatus("web-1", c -> status(1), Fence.NONE));
        assertEquals("web-1", e.name(), "NotFoundException must name the node");
        assertEquals(Optional.empty(), store.get("web-1"), "updateStatus must never create a node");
    }

    // ---------------------------------------------------------------- delete

    @Test
    void deleteRemovesTheNodeAndReturnsItsLastState() {
        store.create(node("web-1"));
        store.create(node("web-2"));
        Node last = store.updateStatus("web-1", c -> status(2), Fence.NONE);

        assertEquals(last, store.delete("web-1", null), "delete must return the node as it was just before");
        assertEquals(Optional.empty(), store.get("web-1"));
        assertEquals(List.of("web-2"), store.list().nodes().stream().map(Node::name).toList());
    }

    @Test
    void deleteOfAMissingNameThrowsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> store.delete("web-1", null));
        assertEquals("web-1", e.name(), "NotFoundException must name the node");
        assertThrows(NotFoundException.class, () -> store.delete("web-1", "1"),
                "a missing node is NotFound even when a version is given");
        store.create(node("web-1"));
        store.delete("web-1", null);
        assertThrows(NotFoundException.class, () -> store.delete("web-1", null), "a second delete must throw NotFound");
    }

    @Test
    void deleteWithAStaleVersionThrowsConflictAndChangesNothing() {
        Node created = store.create(node("web-1"));
        Node current = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        long revision = store.revision();

        ConflictException e = assertThrows(ConflictException.class, () -> store.delete("web-1", version(created)),
                "a delete with a stale resourceVersion must throw ConflictException");
        assertFalse(e instanceof AlreadyExistsException, "a stale version is a conflict, not AlreadyExists");
        assertEquals(Optional.of(current), store.get("web-1"), "a conflicting delete must change nothing");
        assertEquals(revision, store.revision(), "a conflicting delete must not advance the revision");
        assertEquals(current, store.delete("web-1", version(current)), "a delete with the current version succeeds");
    }

    @Test
    void resourceVersionsAreNeverReusedAfterDeleteAndRecreate() {
        Set<String> issued = new HashSet<>();
        String previous = null;
        for (int round = 0; round < 5; round++) {
            Node n = store.create(node("web-1"));
            assertTrue(issued.add(version(n)), "round " + round + ": create reused resourceVersion " + version(n)
                    + " for web-1; versions must never repeat for a name, not even after delete and re-create");
            if (previous != null) {
                String stale = previous;
                assertThrows(ConflictException.class, () -> store.update("web-1", stale, c -> c),
                        "a version of a deleted incarnation must not match the new one");
            }
            n = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(!c.spec().unschedulable())));
            assertTrue(issued.add(version(n)), "round " + round + ": update reused resourceVersion " + version(n));
            previous = version(n);
            store.delete("web-1", null);
        }
    }

    // ---------------------------------------------------------------- revision

    @Test
    void revisionGrowsWithEveryWriteAndOnlyWithWrites() {
        long r = store.revision();
        r = assertAdvanced(r, () -> store.create(node("web-1")), "create");
        r = assertAdvanced(r, () -> store.create(node("web-2")), "create");
        r = assertAdvanced(r, () -> store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true))), "update");
        r = assertAdvanced(r, () -> store.updateStatus("web-1", c -> status(1), Fence.NONE), "updateStatus");
        r = assertAdvanced(r, () -> store.updateStatus("web-1", c -> status(2), Fence.NONE), "updateStatus");
        r = assertAdvanced(r, () -> store.delete("web-2", null), "delete");

        store.get("web-1");
        store.list();
        store.changesSince(0, 100);
        store.updateStatus("web-1", Node::status, Fence.NONE);
        assertThrows(AlreadyExistsException.class, () -> store.create(node("web-1")));
        assertThrows(NotFoundException.class, () -> store.delete("web-2", null));
        assertThrows(ConflictException.class, () -> store.update("web-1", "stale", c -> c));
        assertEquals(r, store.revision(), "reads, failed writes and no-op status writes must not advance the revision");
    }

    private long assertAdvanced(long before, Runnable write, String what) {
        write.run();
        long after = store.revision();
        assertTrue(after > before, what + " must advance the revision: it was " + before + ", now " + after);
        return after;
    }

    // ---------------------------------------------------------------- change feed

    @Test
    void changesSinceReportsEveryWriteInOrderWithItsTypeAndNode() {
        long start = store.revision();
        Node a = store.create(node("web-a"));
        long ra = store.revision();
        Node b = store.create(node("web-b"));
        long rb = store.revision();
        Node a2 = store.update("web-a", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        long ra2 = store.revision();
        Node b2 = store.updateStatus("web-b", c -> status(1), Fence.NONE);
        long rb2 = store.revision();
        Node a3 = store.updateStatus("web-a", c -> status(2), Fence.NONE);
        long ra3 = store.revision();
        Node deleted = store.delete("web-a", null);
        long rd = store.revision();

        List<Change> expected = List.of(
                new Change(ra, Change.Type.ADDED, a),
                new Change(rb, Change.Type.ADDED, b),
                new Change(ra2, Change.Type.MODIFIED, a2),
                new Change(rb2, Change.Type.MODIFIED, b2),
                new Change(ra3, Change.Type.MODIFIED, a3),
                new Change(rd, Change.Type.DELETED, a3));
        assertEquals(a3, deleted);
        assertEquals(expected, store.changesSince(start, 100),
                "changesSince must list every write in order, each with the revision the store had right after it, "
                        + "the node after the change, and for a delete the node just before it");
        assertEquals(expected.subList(3, 6), store.changesSince(ra2, 100), "changesSince(R) must list only changes after R");
        assertEquals(List.of(), store.changesSince(rd, 100), "changesSince(latest revision) must be empty");
    }

    @Test
    void changesSinceReturnsAtMostLimitAndPagesWithoutGapsOrRepeats() {
        long start = store.revision();
        for (int i = 0; i < 7; i++) {
            store.create(node("web-" + i));
            store.updateStatus("web-" + i, c -> status(1), Fence.NONE);
        }
        List<Change> all = store.changesSince(start, 1000);
        assertEquals(14, all.size(), "14 writes must give 14 changes");

        for (int limit : new int[] {1, 3, 5, 14, 20}) {
            List<Change> paged = new ArrayList<>();
            long from = start;
            while (true) {
                List<Change> page = store.changesSince(from, limit);
                assertTrue(page.size() <= limit, "changesSince returned " + page.size() + " changes, limit " + limit);
                if (page.isEmpty()) {
                    break;
                }
                for (Change c : page) {
                    assertTrue(c.revision() > from, "changesSince(" + from + ", " + limit + ") returned revision "
                            + c.revision() + ": every change must come after the revision asked for, in increasing order");
                    from = c.revision();
                }
                paged.addAll(page);
                assertTrue(paged.size() <= all.size(), "paging returned more changes than there were writes");
            }
            assertEquals(all, paged, "following the feed page by page (limit " + limit + ") must give every change once");
        }
        assertEquals(all.subList(0, 4), store.changesSince(start, 4), "the first page must hold the oldest changes");
    }

    @Test
    void listSnapshotRevisionIsWhereTheFeedContinues() {
        store.create(node("web-1"));
        store.create(node("web-2"));
        NodeStore.Snapshot snapshot = store.list();
        Node updated = store.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)));
        Node created = store.create(node("web-3"));

        List<Change> after = store.changesSince(snapshot.revision(), 100);
        assertEquals(List.of(Change.Type.MODIFIED, Change.Type.ADDED), after.stream().map(Change::type).toList(),
                "changesSince(snapshot revision) must hold exactly the writes after the snapshot");
        assertEquals(List.of(updated, created), after.stream().map(Change::node).toList());
    }

    // ---------------------------------------------------------------- races between threads

    @Test
    void concurrentCompareAndSetUpdatesHaveExactlyOneWinner() {
        store.create(node("web-1"));
        for (int round = 0; round < 5; round++) {
            String expected = version(store.get("web-1").orElseThrow());
            int r = round;
            List<Outcome<Node>> outcomes = race(concurrency(), i -> () -> store.update("web-1", expected,
                    c -> c.withMetadata(c.metadata().withLabels(Map.of("winner", "t" + i, "round", "r" + r)))));
            List<Node> winners = successes(outcomes);
            assertEquals(1, winners.size(), "round " + round + ": " + concurrency() + " threads updated web-1 with "
                    + "the same expected version; exactly one must win, but " + winners.size() + " did: " + outcomes);
            assertOnlyFailures(outcomes, ConflictException.class, "the losers of a compare-and-set update");
            assertEquals(winners.get(0), store.get("web-1").orElseThrow(), "the winner's write must be what is stored");
        }
    }

    @Test
    void concurrentCompareAndSetDeletesHaveExactlyOneWinner() {
        for (int round = 0; round < 5; round++) {
            String expected = version(store.create(node("web-1")));
            List<Outcome<Node>> outcomes = race(concurrency(), i -> () -> store.delete("web-1", expected));
            assertEquals(1, successes(outcomes).size(), "round " + round + ": exactly one concurrent delete must win: "
                    + outcomes);
            for (Outcome<Node> o : outcomes) {
                if (o.error() != null && !(o.error() instanceof NotFoundException || o.error() instanceof ConflictException)) {
                    fail("a losing delete must throw NotFoundException or ConflictException, got " + o.error(), o.error());
                }
            }
            assertEquals(Optional.empty(), store.get("web-1"));
        }
    }

    @Test
    void concurrentCreatesOfOneNameHaveExactlyOneWinner() {
        for (int round = 0; round < 5; round++) {
            String name = "web-" + round;
            List<Outcome<Node>> outcomes = race(concurrency(), i -> () -> store.create(
                    node(name, Map.of("creator", "t" + i), NodeSpec.EMPTY)));
            List<Node> winners = successes(outcomes);
            assertEquals(1, winners.size(), "exactly one of " + concurrency() + " concurrent creates of " + name
                    + " must win, but " + winners.size() + " did: " + outcomes);
            assertOnlyFailures(outcomes, AlreadyExistsException.class, "the losers of a concurrent create");
            assertEquals(winners.get(0), store.get(name).orElseThrow(), "the winner's node must be what is stored");
        }
    }

    @Test
    void statusWritesAndSpecWritesNeverOverwriteEachOther() {
        Node initial = store.create(node("web-1", Map.of("count", "0"), NodeSpec.EMPTY));
        int writesPerThread = 25;
        int threads = Math.max(2, concurrency());
        List<Outcome<List<Node>>> outcomes = race(threads, i -> () -> {
            List<Node> results = new ArrayList<>();
            for (int k = 0; k < writesPerThread; k++) {
                if (i % 2 == 0) {
                    results.add(store.updateStatus("web-1", c -> status(statusCount(c.status()) + 1), Fence.NONE));
                } else {
                    results.add(store.update("web-1", null, c -> c.withMetadata(c.metadata().withLabels(
                            Map.of("count", Integer.toString(Integer.parseInt(c.metadata().labels().get("count")) + 1))))));
                }
            }
            return results;
        });
        for (Outcome<List<Node>> o : outcomes) {
            if (o.error() != null) {
                fail("a concurrent write failed", o.error());
            }
        }
        int statusWriters = (threads + 1) / 2;
        int specWriters = threads / 2;
        Node end = store.get("web-1").orElseThrow();
        assertEquals(statusWriters * writesPerThread, statusCount(end.status()),
                "every status write increments a counter in the status; a lower count means a status write was lost "
                        + "(overwritten by a concurrent spec write or status write)");
        assertEquals(Integer.toString(specWriters * writesPerThread), end.metadata().labels().get("count"),
                "every spec write increments a label; a lower count means a spec write was lost "
                        + "(overwritten by a concurrent status write or spec write)");

        Set<String> specVersions = new HashSet<>(Set.of(version(initial)));
        for (int i = 1; i < threads; i += 2) {
            for (Node n : outcomes.get(i).value()) {
                assertTrue(specVersions.add(version(n)), "two spec writes returned the same resourceVersion " + version(n));
            }
        }
        for (int i = 0; i < threads; i += 2) {
            for (Node n : outcomes.get(i).value()) {
                assertTrue(specVersions.contains(version(n)),
                        "updateStatus returned resourceVersion " + version(n) + ", which no spec write set");
            }
        }
    }

    @Test
    void followingTheFeedFromAnySnapshotLosesAndRepeatsNothingWhileWritersRun() {
        int writers = Math.max(1, concurrency() - 1);
        int writesPerThread = 30;
        List<NodeStore.Snapshot> snapshots = new ArrayList<>();
        snapshots.add(store.list());
        CyclicBarrier gate = new CyclicBarrier(writers + 1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    gate.await();
                    // Each name goes through create, status write, spec write, delete, and again.
                    for (int k = 0; k < writesPerThread; k++) {
                        String name = "w" + thread + "-" + (k / 4 % 2);
                        switch (k % 4) {
                            case 0 -> store.create(node(name));
                            case 1 -> store.updateStatus(name, c -> status(statusCount(c.status()) + 1), Fence.NONE);
                            case 2 -> store.update(name, null, c -> c.withSpec(c.spec().withUnschedulable(true)));
                            default -> store.delete(name, null);
                        }
                    }
                    return null;
                }));
            }
            await(gate);
            // This thread reads while the writers write: snapshots, and the revision never going back.
            long lastRevision = store.revision();
            while (!allDone(done)) {
                snapshots.add(store.list());
                long r = store.revision();
                assertTrue(r >= lastRevision, "the revision went back from " + lastRevision + " to " + r);
                lastRevision = r;
            }
            for (Future<?> f : done) {
                get(f);
            }
        } finally {
            pool.shutdownNow();
        }
        NodeStore.Snapshot end = store.list();
        snapshots.add(end);
        // Thin out the snapshots: replaying each costs a feed read.
        int step = Math.max(1, snapshots.size() / 20);
        for (int i = 0; i < snapshots.size(); i += step) {
            assertReplayReaches(snapshots.get(i), end);
        }
        assertReplayReaches(snapshots.get(snapshots.size() - 2), end);
    }

    private void assertReplayReaches(NodeStore.Snapshot from, NodeStore.Snapshot end) {
        Map<String, Node> state = new TreeMap<>();
        from.nodes().forEach(n -> state.put(n.name(), n));
        long revision = from.revision();
        while (true) {
            List<Change> page = store.changesSince(revision, 50);
            if (page.isEmpty()) {
                break;
            }
            for (Change c : page) {
                assertTrue(c.revision() > revision, "the feed went back from revision " + revision + " to " + c.revision());
                revision = c.revision();
                String name = c.node().name();
                switch (c.type()) {
                    case ADDED -> assertEquals(null, state.put(name, c.node()), "snapshot at revision " + from.revision()
                            + " already held " + name + ", yet the feed after it reports it ADDED at " + c.revision()
                            + ": the snapshot and the feed disagree");
                    case MODIFIED -> assertTrue(state.put(name, c.node()) != null, "MODIFIED " + name + " at revision "
                            + c.revision() + " but it was not present after replaying from snapshot " + from.revision());
                    case DELETED -> assertEquals(c.node(), state.remove(name), "DELETED " + name + " at revision "
                            + c.revision() + " must carry the node as it was, replaying from snapshot " + from.revision());
                }
            }
        }
        assertTrue(revision <= end.revision(), "the feed reached revision " + revision
                + ", beyond the latest list's revision " + end.revision());
        assertEquals(end.nodes(), List.copyOf(state.values()), "the snapshot at revision " + from.revision()
                + " plus the feed after it must give the latest list: a change was lost or duplicated");
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void checkHealthPassesOnAnOpenStore() {
        store.checkHealth();
        store.create(node("web-1"));
        store.checkHealth();
    }

    @Test
    void describeSaysSomething() {
        String description = store.describe();
        assertTrue(description != null && !description.isBlank(), "describe() must name the store for logs");
    }

    @Test
    void leaderElectionIsAvailable() {
        assertTrue(store.leaderElection() != null, "leaderElection() must return an election, "
                + "LeaderElection.solo() for a store only one process can open");
    }

    @Test
    void closeIsIdempotent() {
        NodeStore s = openFreshStore();
        s.create(node("web-1"));
        s.close();
        s.close();
    }

    // ---------------------------------------------------------------- durability (needs reopen)

    @Test
    void everythingWrittenSurvivesCloseAndReopen() {
        NodeStore first = store;
        first.create(node("kept"));
        first.create(node("changed"));
        first.create(node("gone"));
        first.update("changed", null, c -> c.withSpec(new NodeSpec("changed.example", true))
                .withMetadata(c.metadata().withLabels(Map.of("zone", "z"))));
        first.updateStatus("kept", c -> status(9), Fence.NONE);
        first.delete("gone", null);
        NodeStore.Snapshot before = first.list();

        NodeStore second = reopenOrSkip(first);
        NodeStore.Snapshot after = second.list();
        assertEquals(before.nodes(), after.nodes(), "after close and reopen, list must return the same nodes, "
                + "with the same resourceVersions (created, updated, status-written and deleted data must survive)");
        assertTrue(second.revision() >= before.revision(), "the revision went back across reopen: "
                + before.revision() + " -> " + second.revision());
        second.checkHealth();
    }

    @Test
    void versionsAndRevisionsKeepGrowingAfterReopen() {
        NodeStore first = store;
        Set<String> issued = new HashSet<>();
        issued.add(version(first.create(node("web-1"))));
        issued.add(version(first.update("web-1", null, c -> c.withSpec(c.spec().withUnschedulable(true)))));
        first.delete("web-1", null);
        long revision = first.revision();

        NodeStore second = reopenOrSkip(first);
        long reopenedAt = second.revision();
        Node again = second.create(node("web-1"));
        assertTrue(issued.add(version(again)), "after reopen, re-creating web-1 reused resourceVersion "
                + version(again) + "; versions must never repeat for a name");
        assertTrue(second.revision() > revision, "a write after reopen must advance the revision past " + revision
                + ", got " + second.revision());
        List<Change> changes = second.changesSince(reopenedAt, 10);
        assertEquals(List.of(new Change(second.revision(), Change.Type.ADDED, again)), changes,
                "the feed after reopen must report the new write");
    }

    private NodeStore reopenOrSkip(NodeStore s) {
        s.close();
        NodeStore reopened = reopen(s);
        Assumptions.assumeTrue(reopened != null, "the backend cannot reopen a store (reopen returned null)");
        opened.add(reopened);
        return reopened;
    }

    // ---------------------------------------------------------------- model-based

    @Test
    void behavesLikeTheReferenceModelOverRandomOperationSequences() {
        new StoreModelCheck(this::openFreshStore, Math.max(StoreModelCheck.MIN_SEQUENCES, modelSequences())).run();
    }

    // ---------------------------------------------------------------- helpers

    /** What one racing thread got: a value or an exception. */
    record Outcome<T>(T value, Throwable error) {
        @Override
        public String toString() {
            return error == null ? "ok" : error.getClass().getSimpleName();
        }
    }

    /** Runs {@code threads} tasks at once (released together by a barrier) and collects what each got. */
    static <T> List<Outcome<T>> race(int threads, IntFunction<Callable<T>> task) {
        CyclicBarrier gate = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    gate.await();
                    return body.call();
                }));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    outcomes.add(new Outcome<>(f.get(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(null, e.getCause()));
                }
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("racing writers did not finish within " + RACE_TIMEOUT_SECONDS + " s: is the store stuck?", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<T> successes(List<Outcome<T>> outcomes) {
        return outcomes.stream().filter(o -> o.error() == null).map(Outcome::value).toList();
    }

    private static void assertOnlyFailures(List<? extends Outcome<?>> outcomes, Class<? extends Throwable> type, String who) {
        for (Outcome<?> o : outcomes) {
            if (o.error() != null && !type.isInstance(o.error())) {
                fail(who + " must throw " + type.getSimpleName() + ", got " + o.error(), o.error());
            }
        }
    }

    private static boolean causedBy(Throwable thrown, Throwable cause) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t == cause) {
                return true;
            }
        }
        return false;
    }

    private static boolean allDone(List<Future<?>> futures) {
        return futures.stream().allMatch(Future::isDone);
    }

    private static void get(Future<?> f) {
        try {
            f.get(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("a writer failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("writers did not finish within " + RACE_TIMEOUT_SECONDS + " s: is the store stuck?", e);
        }
    }

    private static void await(CyclicBarrier gate) {
        try {
            gate.await(RACE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the writers did not start", e);
        }
    }
}
