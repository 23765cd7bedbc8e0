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

/** The contract's change feed, its races between threads, and fencing under a deposed leader's term. */
public abstract class NodeStoreFeedContract extends NodeStoreWriteContract {
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

    // ---------------------------------------------------------------- fencing (needs an election with terms)

    @Test
    void aDeposedLeadersFencedWritesThrowFencedAndChangeNothing() {
        Fence term = leadOrSkip();
        store.create(node("web-1"));
        store.create(node("web-2"));
        store.update("web-1", null, c -> c.withMetadata(c.metadata().withLabels(Map.of("zone", "a"))), term);
        store.updateStatus("web-1", c -> status(1), term);
        Map<String, Node> batch = store.updateStatuses(Map.of("web-1", c -> status(2), "web-2", c -> status(1)), term);
        assertEquals(Set.of("web-1", "web-2"), batch.keySet(), "updateStatuses under the live term returns every node it wrote");
        assertEquals(2, statusCount(store.get("web-1").orElseThrow().status()), "writes under the live term land");

        assertTrue(depose(store, term), getClass().getName() + ": the store's leader election is not solo, so the kit "
                + "checks its fencing; override depose(NodeStore, Fence) to end the leader's term (for example by "
                + "letting a second replica on the same data take the lease) and return true");
        NodeStore.Snapshot before = store.list();
        assertThrows(FencedException.class, () -> store.update("web-1", null,
                c -> c.withMetadata(c.metadata().withLabels(Map.of("zone", "stale"))), term),
                "update under a deposed leader's fence must throw FencedException");
        assertThrows(FencedException.class, () -> store.updateStatus("web-1", c -> status(9), term),
                "updateStatus under a deposed leader's fence must throw FencedException");
        assertThrows(FencedException.class, () -> store.updateStatuses(
                new TreeMap<>(Map.of("web-1", c -> status(9), "web-2", c -> status(9))), term),
                "updateStatuses under a deposed leader's fence must throw FencedException");
        assertEquals(before, store.list(), "refused fenced writes must change nothing and not advance the revision");
        Node unfenced = store.updateStatus("web-2", c -> status(5), Fence.NONE);
        assertEquals(5, statusCount(unfenced.status()), "an unfenced write still lands after the term changed");
    }

    /** Starts the store's election and waits until it leads; skips the test for a solo store. */
    private Fence leadOrSkip() {
        LeaderElection election = store.leaderElection();
        Assumptions.assumeFalse(election.exclusive(), "the store leads solo: its writes are never fenced");
        AtomicReference<Fence> won = new AtomicReference<>();
        election.start((leading, fence) -> won.set(leading ? fence : null));
        started.add(election);
        Fence fence = Eventually.await(Duration.ofSeconds(30), "the store's own election to make it the leader",
                won::get, f -> f != null);
        assertTrue(fence.fenced(), "a leader of an election that is not solo must hold a real term, not Fence.NONE");
        assertEquals(fence, election.fence(), "fence() must return the term the listener was told");
        return fence;
    }
}
