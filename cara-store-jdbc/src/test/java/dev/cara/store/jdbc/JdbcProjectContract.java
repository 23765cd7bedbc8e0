package dev.cara.store.jdbc;

import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectScheduling;
import dev.cara.sdk.spi.Fence;
import dev.cara.sdk.spi.FencedException;
import dev.cara.sdk.spi.HistoryGoneException;
import dev.cara.sdk.spi.ProjectChange;
import dev.cara.sdk.spi.ProjectStore;
import dev.cara.sdk.testkit.ProjectStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.cara.sdk.testkit.ProjectFixtures.project;
import static dev.cara.sdk.testkit.ProjectFixtures.spec;
import static dev.cara.sdk.testkit.ProjectFixtures.status;
import static dev.cara.sdk.testkit.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK's project contract on one database (a subclass per database), plus what only a shared
 * store has: fencing against the lease row, and compaction of the project feed.
 *
 * <p>Each store's lease is set to term {@link #TERM}, live, as a leader's would be, because the kit
 * binds under {@code new Fence(1)}; {@link #depose()} moves it on, as a second replica taking over
 * does. The JDBC stores under the project views are closed after each test (the kit closes the views).
 */
abstract class JdbcProjectContract extends ProjectStoreContract {
    static final long TERM = 1;
    // Owned by the JUnit thread running the test.
    private final List<JdbcStore> stores = new ArrayList<>();
    private JdbcStore last;

    abstract TestDatabase db();

    @Override
    protected ProjectStore newStore() {
        JdbcStore store = track((JdbcStore) ContractStores.fresh(db()));
        db().lease("kit-leader", TERM);
        return store.projects();
    }

    @Override
    protected ProjectStore reopen(ProjectStore closed) {
        return track((JdbcStore) ContractStores.reopen(db())).projects();
    }

    @AfterEach
    void closeJdbcStores() {
        stores.forEach(JdbcStore::close);
        stores.clear();
    }

    private JdbcStore track(JdbcStore store) {
        stores.add(store);
        last = store;
        return store;
    }

    /** Another replica takes the lease with the next term. */
    private void depose() {
        db().lease("kit-successor", TERM + 1);
    }

    @Test
    void aDeposedLeadersFencedProjectWritesThrowFencedExceptionAndChangeNothing() {
        ProjectStore store = store();
        store.create(project("web"));
        Project bound = store.updateStatus("web", c -> new ProjectScheduling.Bind("w1", 500).apply(c, T0.plusSeconds(1)),
                new Fence(TERM));
        assertEquals(ProjectPhase.SCHEDULED, bound.phase(), "the leader's fenced binding must be written");
        store.create(project("db"));
        depose();
        long revision = store.revision();
        assertThrows(FencedException.class, () -> store.updateStatus("db",
                c -> new ProjectScheduling.Bind("w2", 500).apply(c, T0.plusSeconds(2)), new Fence(TERM)));
        assertThrows(FencedException.class, () -> store.updateStatus("web",
                c -> status(ProjectPhase.FAILED, "w1", 7), new Fence(TERM)));
        assertThrows(FencedException.class, () -> store.update("web", null,
                c -> c.withMetadata(c.metadata().withLabels(Map.of("by", "deposed"))), new Fence(TERM)));
        assertEquals(Optional.of(bound), store.get("web"), "a deposed leader's write must change nothing");
        assertEquals(ProjectPhase.PENDING, store.get("db").orElseThrow().phase(), "a deposed leader must not bind");
        assertEquals(revision, store.revision(), "a fenced-off write must not advance the revision");
        assertEquals(List.of(), store.changesSince(revision, 10), "nor appear in the feed");
        // The successor's term writes, and an unfenced write (an agent's report) always does.
        assertEquals("w2", store.updateStatus("db", c -> new ProjectScheduling.Bind("w2", 500).apply(c, T0.plusSeconds(3)),
                new Fence(TERM + 1)).status().nodeRef());
        assertEquals(ProjectPhase.RUNNING, store.updateStatus("web", c -> status(ProjectPhase.RUNNING, "w1", 8), Fence.NONE).phase());
    }

    @Test
    void theProjectFeedIsCompactedInBatchesAndAReaderBehindItListsAgain() {
        ProjectStore store = store();
        JdbcStore nodes = last;
        int writes = 25;
        store.create(project("web"));
        for (int i = 1; i < writes; i++) {
            int n = i;
            store.update("web", null, c -> c.withSpec(spec("nginx:" + n)));
        }
        List<Long> batches = new ArrayList<>();
        nodes.compact(batches::add);
        // ContractStores opens with the default history (100,000): nothing to compact yet.
        assertEquals(List.of(), batches);
        assertEquals(writes, store.changesSince(0, 100).size());
        try (JdbcStore small = JdbcStore.builder(db().url()).changeHistory(10).compactionBatch(4)
                .leaseTtl(Duration.ofSeconds(2)).build()) {
            small.compact(batches::add);
            ProjectStore projects = small.projects();
            assertTrue(batches.size() >= 4, "15 old changes in batches of 4 take at least 4 statements: " + batches);
            assertThrows(HistoryGoneException.class, () -> projects.changesSince(0, 100));
            List<ProjectChange> kept = projects.changesSince(projects.revision() - 10, 100);
            assertEquals(10, kept.size(), "the newest 10 changes are kept");
            assertEquals(projects.get("web").orElseThrow(), kept.get(kept.size() - 1).project());
        }
    }

    /** The kit's binding race runs threads on one store; here each thread is a replica with its own pool. */
    @Test
    void replicasBindingOnePendingProjectAtOnceHaveExactlyOneWinner() throws Exception {
        int replicas = 4;
        List<ProjectStore> views = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            views.add(track((JdbcStore) ContractStores.reopen(db())).projects());
        }
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            for (int round = 0; round < 5; round++) {
                String name = "race-" + round;
                views.get(0).create(project(name));
                CyclicBarrier gate = new CyclicBarrier(replicas);
                List<Future<Project>> bindings = new ArrayList<>();
                for (int i = 0; i < replicas; i++) {
                    int replica = i;
                    bindings.add(pool.submit(() -> {
                        gate.await(30, TimeUnit.SECONDS);
                        return views.get(replica).updateStatus(name,
                                c -> new ProjectScheduling.Bind("w" + replica, 500).apply(c, T0.plusSeconds(1)), new Fence(TERM));
                    }));
                }
                List<Project> winners = new ArrayList<>();
                for (Future<Project> f : bindings) {
                    try {
                        winners.add(f.get(60, TimeUnit.SECONDS));
                    } catch (ExecutionException e) {
                        assertTrue(e.getCause() instanceof ConflictException, "a losing binding must get ConflictException, got " + e.getCause());
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": exactly one replica's binding must win: " + winners);
                assertEquals(winners.get(0), views.get(replicas - 1).get(name).orElseThrow(), "the winner's binding is what is stored");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
