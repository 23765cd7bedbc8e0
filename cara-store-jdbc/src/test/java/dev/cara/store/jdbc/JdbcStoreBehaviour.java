package dev.cara.store.jdbc;

import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.spi.Change;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.NodeStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the JDBC store promises beyond the SDK's contract kit, run on each database by a subclass:
 * separate spec and status writes under concurrency from two replicas, batching, the change feed
 * between replicas, and fencing against the lease row.
 */
abstract class JdbcStoreBehaviour {
    private TestDatabase db;
    private final List<JdbcStore> opened = new ArrayList<>();

    abstract TestDatabase newDatabase();

    @BeforeEach
    void createDatabase() {
        db = newDatabase();
    }

    @AfterEach
    void dropDatabase() {
        opened.forEach(JdbcStore::close);
        db.close();
    }

    JdbcStore open() {
        return open(Duration.ofSeconds(2));
    }

    JdbcStore open(Duration leaseTtl) {
        return open(JdbcStore.builder(db.url()).leaseTtl(leaseTtl));
    }

    JdbcStore open(JdbcStoreBuilder builder) {
        JdbcStore store = builder.build();
        opened.add(store);
        return store;
    }

    static Node node(String name) {
        return Node.builder(name).hostname(name + ".lan").build();
    }

    /** A status mutation that counts in {@code info.kernelVersion}, so lost updates show. */
    static NodeStatus incremented(Node n) {
        String k = n.status().info().kernelVersion();
        int next = k == null ? 1 : Integer.parseInt(k) + 1;
        return new NodeStatus(n.state(), n.status().network(), n.status().capacity(), n.status().allocatable(),
                new NodeInfo(Integer.toString(next), null, null), Instant.now(), n.status().conditions(), n.status().claim());
    }

    /** The lease's remaining time by the database's clock, 0 once it has run out. */
    private long leaseRemainingMillis() {
        try (Connection c = DriverManager.getConnection(db.url());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(Dialect.of(db.url()).remainingMillisSql())) {
            assertTrue(rs.next(), "no lease row");
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("cannot read the lease row", e);
        }
    }

    @Test
    void storeSettingsInTheUrlReachTheStoreAndNotTheDriver() {
        // As a server gets them: one --store URL. Unknown to the driver, they would be refused or ignored.
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "cara.leaseTtl=3s&cara.poolSize=2";
        JdbcStore store = (JdbcStore) new JdbcStoreProvider().open(url);
        opened.add(store);
        store.leaderElection().start((leading, fence) -> { });
        Poll.until(Duration.ofSeconds(30), "the store to lead", () -> store.leaderElection().isLeader());
        // The lease row runs out within the URL's TTL by the database's clock (by default it would be
        // 10 s). Read until it is live (a stalled test JVM can let it lapse before its renewal), and
        // every reading must be within the TTL.
        Poll.until(Duration.ofSeconds(30), "a live lease", () -> {
            long remaining = leaseRemainingMillis();
            assertTrue(remaining <= 3_000, "the lease runs out in " + remaining + " ms, more than cara.leaseTtl=3s");
            return remaining > 0;
        });
        store.create(node("a"));
        assertEquals(List.of("a"), store.list().nodes().stream().map(Node::name).toList());
    }

    @Test
    void createGetListDeleteRoundTrip() {
        NodeStore store = open();
        Node created = store.create(node("b-node").withMetadata(node("b-node").metadata().withLabels(Map.of("zone", "a"))));
        store.create(node("a-node"));
        assertEquals("a", store.get("b-node").orElseThrow().metadata().labels().get("zone"));
        assertEquals(List.of("a-node", "b-node"), store.list().nodes().stream().map(Node::name).toList());
        assertThrows(AlreadyExistsException.class, () -> store.create(node("a-node")));
        assertEquals(created, store.delete("b-node", created.metadata().resourceVersion()));
        assertTrue(store.get("b-node").isEmpty());
        assertThrows(NotFoundException.class, () -> store.delete("b-node", null));
        assertThrows(NotFoundException.class, () -> store.updateStatus("b-node", JdbcStoreBehaviour::incremented, Fence.NONE));
    }

    @Test
    void resourceVersionFollowsSpecWritesOnlyAndIsNeverReused() {
        NodeStore store = open();
        Node created = store.create(node("n1"));
        String v1 = created.metadata().resourceVersion();
        store.updateStatus("n1", JdbcStoreBehaviour::incremented, Fence.NONE);
        assertEquals(v1, store.get("n1").orElseThrow().metadata().resourceVersion());
        Node cordoned = store.update("n1", v1, n -> n.withSpec(n.spec().withUnschedulable(true)));
        assertNotEquals(v1, cordoned.metadata().resourceVersion());
        assertEquals("1", cordoned.status().info().kernelVersion(), "the spec write kept the heartbeat");
        assertThrows(ConflictException.class, () -> store.update("n1", v1, n -> n));
        store.delete("n1", null);
        Node again = store.create(node("n1"));
        assertNotEquals(v1, again.metadata().resourceVersion());
        assertNotEquals(cordoned.metadata().resourceVersion(), again.metadata().resourceVersion());
    }

    @Test
    void aMutationThatChangesNothingWritesNothing() {
        NodeStore store = open();
        store.create(node("n1"));
        long before = store.revision();
        Node same = store.updateStatus("n1", Node::status, Fence.NONE);
        assertEquals(before, store.revision());
        assertEquals("n1", same.name());
    }

    @Test
    void heartbeatsAreAcknowledgedThenWrittenInOneBatch() throws Exception {
        JdbcStore store = open();
        for (int i = 0; i < 50; i++) {
            store.create(node("n" + i));
        }
        long before = store.revision();
        // All 150 heartbeats in one flush window, on purpose: the flusher ticks every 100 ms of real
        // time, and a tick in the middle of the loop would split the batch on a slow or busy machine.
        try (AutoCloseable oneWindow = store.holdFlushes()) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 50; i++) {
                    store.updateStatus("n" + i, JdbcStoreBehaviour::incremented, Fence.NONE);
                }
            }
            // This replica sees its own acknowledged heartbeats at once.
            assertEquals("3", store.get("n7").orElseThrow().status().info().kernelVersion());
            assertEquals(50, store.pendingHeartbeats(), "one pending write per node, however many heartbeats it sent");
        }
        store.flush();
        assertEquals(0, store.pendingHeartbeats());
        // Coalesced: one revision per node, however many heartbeats it sent.
        long used = store.revision() - before;
        assertEquals(50, used, "revisions used by 150 heartbeats to 50 nodes in one window");
        for (Node n : store.list().nodes()) {
            assertEquals("3", n.status().info().kernelVersion(), n.name());
        }
    }

    @Test
    void twoReplicasNeverLoseEachOthersSpecOrStatusWrites() throws Exception {
        JdbcStore a = open();
        JdbcStore b = open();
        a.create(node("shared"));
        int perThread = 150;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (JdbcStore s : List.of(a, b)) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        s.updateStatus("shared", JdbcStoreBehaviour::incremented, Fence.NONE);
                    }
                }));
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        s.updateStatus("shared", JdbcStoreBehaviour::incremented, Fence.NONE);
                    }
                }));
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perThread / 5; i++) {
                        s.update("shared", null, n -> {
                            Map<String, String> labels = new HashMap<>(n.metadata().labels());
                            labels.merge("edits", "1", (x, y) -> Integer.toString(Integer.parseInt(x) + 1));
                            return n.withMetadata(n.metadata().withLabels(labels));
                        });
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        a.flush();
        b.flush();
        Node result = a.list().nodes().getFirst();
        assertEquals(Integer.toString(4 * perThread), result.status().info().kernelVersion(), "status increments");
        assertEquals(Integer.toString(2 * (perThread / 5)), result.metadata().labels().get("edits"), "spec edits");
    }

    /**
     * The follower's own flusher writes its heartbeat (nobody calls flush on it), and the leader's
     * feed carries it. How soon is the flush window's business (at most 100 ms, checked by the
     * builder); a wall-clock bound here would measure the machine instead.
     */
    @Test
    void theChangeFeedCarriesOtherReplicasHeartbeatsOnceTheirFlusherWritesThem() {
        JdbcStore leader = open();
        JdbcStore follower = open();
        leader.create(node("n1"));
        long from = leader.revision();
        List<Change> initial = leader.changesSince(0, 100);
        assertEquals(Change.Type.ADDED, initial.getFirst().type());
        follower.updateStatus("n1", JdbcStoreBehaviour::incremented, Fence.NONE);
        List<Change> seen = new ArrayList<>();
        Poll.until(Duration.ofSeconds(30), "the follower's heartbeat in the leader's feed", () -> {
            seen.addAll(leader.changesSince(from, 100));
            return !seen.isEmpty();
        });
        // The follower's flusher drops its pending entry just after the commit that the leader saw.
        Poll.until(Duration.ofSeconds(30), "written by the follower's flusher", () -> follower.pendingHeartbeats() == 0);
        assertEquals(Change.Type.MODIFIED, seen.getFirst().type());
        assertEquals("1", seen.getFirst().node().status().info().kernelVersion());
        long afterHeartbeat = seen.getLast().revision();
        follower.delete("n1", null);
        List<Change> deleted = leader.changesSince(afterHeartbeat, 100);
        assertEquals(1, deleted.size());
        assertEquals(Change.Type.DELETED, deleted.getFirst().type());
        assertEquals("n1", deleted.getFirst().node().name());
    }

    @Test
    void feedRevisionsStrictlyIncreaseUnderConcurrentWriters() throws Exception {
        JdbcStore a = open();
        JdbcStore b = open();
        for (int i = 0; i < 20; i++) {
            a.create(node("n" + i));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> seen = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (JdbcStore s : List.of(a, b)) {
                pool.submit(() -> {
                    int i = 0;
                    while (!stop.get()) {
                        s.updateStatus("n" + (i++ % 20), JdbcStoreBehaviour::incremented, Fence.NONE);
                    }
                    return null;
                });
            }
            long from = 0;
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() - until < 0) {
                for (Change c : a.changesSince(from, 7)) {
                    seen.add(c.revision());
                    from = c.revision();
                }
            }
        } finally {
            stop.set(true);
            pool.shutdown();
        }
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "feed went back at " + i + ": " + seen.get(i - 1) + " then " + seen.get(i));
        }
        a.flush();
        b.flush();
        // Whatever was written, the feed followed from 0 ends on every node's latest row.
        Map<String, Long> latest = new HashMap<>();
        long from = 0;
        List<Change> page;
        while (!(page = a.changesSince(from, 5)).isEmpty()) {
            for (Change c : page) {
                latest.put(c.node().name(), c.revision());
                from = c.revision();
            }
        }
        assertEquals(20, latest.size());
    }

    @Test
    void aFencedWriteNeedsTheLiveTerm() {
        // A lease that outlives any pause of this JVM, so that the only change of leader is the hand-over
        // below (a close releases the lease at once, so the long TTL costs no waiting). With 2 s, pausing
        // the JVM (SIGSTOP) for 1.8 s right after the election failed 3 runs in 4: the lease was lost and
        // taken again, with a newer term and two more notifications.
        Duration ttl = Duration.ofSeconds(10);
        JdbcStore a = open(ttl);
        a.create(node("n1"));
        List<Boolean> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        a.leaderElection().start((leading, fence) -> changes.add(leading));
        Poll.until(Duration.ofSeconds(30), "the only replica to lead", () -> a.leaderElection().isLeader());
        Fence fence = a.leaderElection().fence();
        assertTrue(fence.fenced());
        Node written = a.updateStatus("n1", n -> n.status().withState(NodeState.READY), fence);
        assertEquals(NodeState.READY, written.state());
        assertThrows(FencedException.class,
                () -> a.updateStatus("n1", n -> n.status().withState(NodeState.NOT_READY), new Fence(fence.term() + 7)));
        assertEquals(NodeState.READY, a.get("n1").orElseThrow().state());

        // Hand over: the first leader closes, a second replica takes the lease with a newer term.
        JdbcStore b = open(ttl);
        b.leaderElection().start((leading, f) -> { });
        a.leaderElection().close();
        Poll.until(Duration.ofSeconds(30), "the second replica to lead", () -> b.leaderElection().isLeader());
        assertTrue(b.leaderElection().fence().term() > fence.term());
        assertThrows(FencedException.class,
                () -> a.updateStatus("n1", n -> n.status().withState(NodeState.NOT_READY), fence));
        assertThrows(FencedException.class,
                () -> b.updateStatus("n1", n -> n.status().withState(NodeState.NOT_READY), fence));
        assertEquals(NodeState.READY, b.get("n1").orElseThrow().state());
        assertEquals(List.of(true, false), changes, "notified once per real change");
    }

    /**
     * Defect: compaction moved the history floor and deleted every old change in one transaction
     * that held the revision row, which every write locks first, so all writers stalled behind it.
     * Here a compaction is held after its first batch (a probe, not a sleep) while a spec write, a
     * create and a heartbeat flush go through; then it finishes, and it took more than one batch.
     */
    @Test
    void compactionOfALargeHistoryDoesNotBlockWrites() throws Exception {
        JdbcStore store = open(JdbcStore.builder(db.url()).leaseTtl(Duration.ofSeconds(10)).changeHistory(100)
                .compactionBatch(200).compactionInterval(Duration.ofHours(1)));
        for (int i = 0; i < 50; i++) {
            store.create(node("n" + i));
        }
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 50; i++) {
                store.updateStatus("n" + i, JdbcStoreBehaviour::incremented, Fence.NONE);
            }
            store.flush();
        }
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger batches = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> compaction = threads.submit(() -> store.compact(deletedThrough -> {
                if (batches.incrementAndGet() == 1) {
                    held.countDown();
                    awaitQuietly(release);
                }
            }));
            assertTrue(held.await(60, TimeUnit.SECONDS), "the compaction reached its first batch");
            try {
                Future<Node> write = threads.submit(() -> store.update("n0", null,
                        n -> n.withMetadata(n.metadata().withLabels(Map.of("written", "during-compaction")))));
                assertEquals("during-compaction", write.get(30, TimeUnit.SECONDS).metadata().labels().get("written"),
                        "a spec write while the compaction is held");
                store.create(node("late"));
                store.updateStatus("late", JdbcStoreBehaviour::incremented, Fence.NONE);
                store.flush();
            } finally {
                release.countDown();
            }
            compaction.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertTrue(batches.get() > 1, "deleted in bounded batches, was " + batches.get());
        assertThrows(HistoryGoneException.class, () -> store.changesSince(0, 10));
        long top = store.revision();
        List<Change> newest = store.changesSince(top - 50, 100);
        assertEquals(50, newest.size(), "the newest changes are kept");
        assertEquals("late", newest.getLast().node().name());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Defect 9 (store side): the leader's expiry of N silent nodes was N fenced transactions, one after
     * another. {@code updateStatuses} writes them in one transaction under one fence check, skips
     * names that are gone and mutations that change nothing, and a stale fence writes none of it.
     */
    @Test
    void expiringManyNodesIsOneFencedTransactionNotOnePerNode() {
        JdbcStore store = open(Duration.ofSeconds(10));
        Map<String, java.util.function.Function<Node, NodeStatus>> expiry = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            store.create(node("e" + i));
            expiry.put("e" + i, n -> new NodeStatus(NodeState.NOT_READY, n.status().network(), n.status().capacity(),
                    n.status().allocatable(), new NodeInfo("expired", null, null), n.status().lastHeartbeat(),
                    n.status().conditions(), n.status().claim()));
        }
        expiry.put("gone", n -> n.status().withState(NodeState.NOT_READY));
        expiry.put("e39", Node::status); // changes nothing: no write
        store.leaderElection().start((leading, fence) -> { });
        Poll.until(Duration.ofSeconds(30), "the only replica to lead", () -> store.leaderElection().isLeader());
        Fence fence = store.leaderElection().fence();

        long before = store.revision();
        assertThrows(FencedException.class, () -> store.updateStatuses(expiry, new Fence(fence.term() + 1)));
        assertEquals(before, store.revision(), "a stale fence writes nothing");
        Map<String, Node> stored = store.updateStatuses(expiry, fence);
        assertEquals(40, stored.size(), "every name that exists, in the order given");
        assertEquals("e0", stored.keySet().iterator().next());
        assertEquals(before + 39, store.revision(), "one revision per node written, none for a no-op");
        List<Change> feed = store.changesSince(before, 100);
        assertEquals(39, feed.size());
        for (Node n : store.list().nodes()) {
            assertEquals(n.name().equals("e39") ? null : "expired", n.status().info().kernelVersion(), n.name());
        }
        assertEquals("expired", store.get("e7").orElseThrow().status().info().kernelVersion());
        if (db.url().startsWith("jdbc:postgresql:")) {
            assertEquals(1L, scalar("SELECT COUNT(DISTINCT xmin::text) FROM cara_node WHERE name <> 'e39'"),
                    "written by one transaction");
        }
    }

    private long scalar(String sql) {
        try (Connection c = DriverManager.getConnection(db.url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    @Test
    void theSameInstanceBackFromUpdateStatusIsNoWrite() {
        JdbcStore store = open();
        Node created = store.create(node("n1"));
        Node same = store.updateStatus("n1", n -> n.status(), Fence.NONE);
        assertSame(same.status(), store.updateStatus("n1", n -> n.status(), Fence.NONE).status().equals(same.status()) ? same.status() : null);
        assertEquals(created.metadata().resourceVersion(), same.metadata().resourceVersion());
        assertEquals(0, store.pendingHeartbeats());
    }

    /**
     * Defect: a revision this database never reached (read from another database, or from before a
     * restore) got an empty page, so a watcher waited forever; it must list again.
     */
    @Test
    void aRevisionAheadOfTheStoreIsHistoryGoneNotAnEmptyPage() {
        JdbcStore store = open();
        store.create(node("n1"));
        long latest = store.revision();
        assertEquals(List.of(), store.changesSince(latest, 10));
        assertThrows(HistoryGoneException.class, () -> store.changesSince(latest + 5, 10));
    }
}
