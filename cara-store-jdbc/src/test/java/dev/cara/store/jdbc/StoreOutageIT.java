package dev.cara.store.jdbc;

import dev.cara.sdk.testkit.TcpProxy;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.ControlPlaneListener;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.StateTransition;
import dev.cara.sdk.UnavailableException;
import dev.cara.sdk.spi.Fence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database goes away and comes back: every call fails with {@link UnavailableException} (the
 * server's 503) instead of hanging or failing otherwise, health says so, the monitor marks nobody
 * NotReady for it, and everything works again without a restart.
 */
class StoreOutageIT {
    private TestDatabase db;
    private TcpProxy proxy;
    private JdbcStore store;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.postgres();
        proxy = new TcpProxy(5432);
        store = JdbcStore.builder(db.url().replace(":5432/", ":" + proxy.port() + "/"))
                .connectTimeout(Duration.ofMillis(500))
                .socketTimeout(Duration.ofSeconds(2))
                .leaseTtl(Duration.ofSeconds(2))
                .build();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            store.close();
        } finally {
            proxy.close();
            db.close();
        }
    }

    @Test
    void callsFailAsUnavailableWhileTheDatabaseIsUnreachableAndRecoverAfter() throws Exception {
        store.create(node("n1"));
        proxy.cut();
        long start = System.nanoTime();
        assertThrows(UnavailableException.class, () -> store.get("n1"));
        assertThrows(UnavailableException.class, () -> store.create(node("n2")));
        assertThrows(UnavailableException.class, store::list);
        UnavailableException health = assertThrows(UnavailableException.class, store::checkHealth);
        assertTrue(health.getMessage().contains("cannot be reached"), health.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
                "failing took too long: callers would hang instead of getting a 503");
        // A heartbeat may be acknowledged once from memory, but once a flush has failed they fail too.
        Poll.until(Duration.ofSeconds(5), "heartbeats to fail as unavailable", () -> {
            try {
                store.updateStatus("n1", n -> n.status().withState(NodeState.READY), Fence.NONE);
                return false;
            } catch (UnavailableException e) {
                return true;
            }
        });

        proxy.restore();
        Poll.until(Duration.ofSeconds(10), "the store to recover", () -> {
            try {
                store.checkHealth();
                return store.get("n1").isPresent();
            } catch (UnavailableException e) {
                return false;
            }
        });
        store.create(node("n2"));
        store.flush();
        // The heartbeat acknowledged just before the outage was kept and written after it.
        assertEquals(NodeState.READY, store.list().nodes().getFirst().state());
    }

    @Test
    void terminatedBackendsCostAtMostAFailedCall() {
        store.create(node("n1"));
        db.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + db.name() + "'");
        Poll.until(Duration.ofSeconds(10), "the store to reconnect", () -> {
            try {
                return store.get("n1").isPresent();
            } catch (UnavailableException e) {
                return false; // the only acceptable failure: the server answers 503 for it
            }
        });
        store.create(node("n2"));
        assertEquals(2, store.list().nodes().size());
    }

    @Test
    void theMonitorMarksNobodyNotReadyBecauseTheDatabaseWasDown() throws Exception {
        List<StateTransition> transitions = new CopyOnWriteArrayList<>();
        try (ControlPlane cp = ControlPlane.builder().store(store).heartbeatTimeout(Duration.ofSeconds(3))
                .tickInterval(Duration.ofMillis(100))
                .listener(new ControlPlaneListener() {
                    @Override
                    public void transition(StateTransition t) {
                        transitions.add(t);
                    }
                }).build()) {
            cp.start();
            Poll.until(Duration.ofSeconds(5), "leadership", cp::isLeader);
            cp.register(node("n1"));
            cp.heartbeat("n1", HeartbeatReport.claiming(NodeState.READY));
            Poll.until(Duration.ofSeconds(5), "n1 to be Ready", () -> cp.get("n1").state() == NodeState.READY);

            // An agent heartbeats every 500 ms throughout; the database is away for longer than the timeout.
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger stored = new AtomicInteger();
            ScheduledExecutorService agent = Executors.newSingleThreadScheduledExecutor();
            try {
                agent.scheduleAtFixedRate(() -> {
                    try {
                        cp.heartbeat("n1", HeartbeatReport.claiming(NodeState.READY));
                        stored.incrementAndGet();
                    } catch (UnavailableException e) {
                        refused.incrementAndGet();
                    }
                }, 0, 500, TimeUnit.MILLISECONDS);
                proxy.cut();
                Poll.until(Duration.ofSeconds(20), "8 heartbeats refused (4 s of outage)", () -> refused.get() >= 8);
                proxy.restore();
                int before = stored.get();
                Poll.until(Duration.ofSeconds(20), "8 heartbeats stored after recovery (longer than the timeout)",
                        () -> stored.get() >= before + 8 && cp.isLeader());
            } finally {
                agent.shutdownNow();
            }
            assertEquals(NodeState.READY, cp.get("n1").state());
            assertTrue(transitions.stream().noneMatch(t -> t.to() == NodeState.NOT_READY && t.from() == NodeState.READY),
                    "a transition to NotReady was written because of the outage: " + transitions);
        }
    }

    private static Node node(String name) {
        return Node.builder(name).hostname(name + ".lan").build();
    }
}
