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
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.LeaderElection;
import dev.cara.sdk.spi.NodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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
import java.util.concurrent.atomic.AtomicReference;
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
 *   <li>Depend on {@code dev.cara:cara-sdk-testkit} with {@code <scope>test</scope>}; it brings
 *       JUnit 5 and QuickTheories.</li>
 *   <li>Extend this class and implement {@link #newStore()}: return a fresh, empty store each time
 *       (a new file in a temporary directory, a new schema, ...). The kit closes every store it was
 *       given after each test.</li>
 *   <li>If your store keeps data across a close, override {@link #reopen(NodeStore)} to open the
 *       same data again; the durability tests then check that what was written survives. Otherwise
 *       those tests are skipped.</li>
 *   <li>If your store's {@link NodeStore#leaderElection()} is not {@link LeaderElection#solo()}
 *       (replicas share it and take turns leading), override {@link #depose(NodeStore, Fence)}:
 *       the fencing tests then check that writes under a deposed leader's fence are refused. For a
 *       solo store those tests are skipped.</li>
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
 * (exactly one winner); status and spec writers never overwriting each other; fencing (writes under
 * the leader's term land, and after the leader is deposed {@code update}, {@code updateStatus} and
 * {@code updateStatuses} under its old term throw {@link FencedException} and change nothing); and a model-based
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
public abstract class NodeStoreContract extends NodeStoreFeedContract {
    // The suite is a chain, one theme a file: NodeStoreContractBase (hooks, set-up, race helpers) <-
    // NodeStoreWriteContract <- NodeStoreFeedContract <- this class (lifecycle, durability, the model
    // check, history across reopen). Extend this class; JUnit runs the tests of the whole chain.
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

    // ---------------------------------------------------------------- change history: ahead and across reopen

    /**
     * Regression: the MapDB store answered {@code changesSince} of a revision ahead of its own with an
     * empty page (the memory store threw), so a watcher that followed an earlier store stayed stale
     * until the store caught up, and then silently skipped every change in between.
     */
    @Test
    void aRevisionAheadOfTheStoreIsHistoryGoneNotAnEmptyPage() {
        store.create(node("web-1"));
        long latest = store.revision();
        assertEquals(List.of(), store.changesSince(latest, 10), "changesSince(revision()) must be empty");
        for (long ahead : new long[] {latest + 1, latest + 1_000, Long.MAX_VALUE}) {
            assertThrows(HistoryGoneException.class, () -> store.changesSince(ahead, 10),
                    "changesSince(" + ahead + ") with the store at revision " + latest + " must throw HistoryGoneException "
                            + "(the revision came from another store), not answer an empty page");
        }
        NodeStore.Snapshot again = store.list();
        Node created = store.create(node("web-2"));
        assertEquals(List.of(new Change(store.revision(), Change.Type.ADDED, created)), store.changesSince(again.revision(), 10),
                "after HistoryGoneException, listing again and following from the snapshot must work");
    }

    /** Across a reopen, history from before it is either all there or gone, never a page with a gap. */
    @Test
    void afterReopenTheFeedFromBeforeIsCompleteOrGoneNeverPartial() {
        NodeStore first = store;
        long start = first.revision();
        first.create(node("web-1"));
        first.create(node("web-2"));
        first.updateStatus("web-1", c -> status(3), Fence.NONE);
        List<Change> before = first.changesSince(start, 10);

        NodeStore second = reopenOrSkip(first);
        List<Change> after;
        try {
            after = second.changesSince(start, 10);
        } catch (HistoryGoneException gone) {
            return; // the history did not survive the reopen, and the store says so
        }
        assertEquals(before, after, "after reopen, changesSince(" + start + ") must return the changes made before "
                + "the close, or throw HistoryGoneException");
    }
}
