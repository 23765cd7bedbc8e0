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
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(4);
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
        // Each call gives up after the 500 ms connect timeout (about 2 s for the four); a pool without it
        // would wait 30 s in one call. The bound leaves room for a slow machine, not for a hang.
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(20)) < 0,
                "failing took too long: callers would hang instead of getting a 503");
        // A heartbeat may be acknowledged once from memory, but once a flush has failed they fail too.
        Poll.until(WAIT, "heartbeats to fail as unavailable", () -> {
            try {
                store.updateStatus("n1", n -> n.status().withState(NodeState.READY), Fence.NONE);
                return false;
            } catch (UnavailableException e) {
                return true;
            }
        });

        proxy.restore();
        Poll.until(WAIT, "the store to recover", () -> {
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
        Poll.until(WAIT, "the store to reconnect", () -> {
            try {
                return store.get("n1").isPresent();
            } catch (UnavailableException e) {
                return false; // the only acceptable failure: the server answers 503 for it
            }
        });
        store.create(node("n2"));
        assertEquals(2, store.list().nodes().size());
    }

    /**
     * Real time drives the monitor here. The agent beats every 500 ms against a 4 s timeout: the leader
     * may still lead for 1.5 s into the outage (on a lease renewed just before it), and after the outage
     * it leads again with a full timeout of grace, so a pause of the agent's thread of up to 2 s, or a
     * slow return of the pool, cannot pass for a silence. (With 3 s, it took 1 s.) A pause of the whole
     * JVM cannot either: one under 1.5 s leaves a silence under 2 s, and after a longer one the lease
     * has run out on the leader's own clock, so it writes nothing until it leads again, with grace.
     */
    @Test
    void theMonitorMarksNobodyNotReadyBecauseTheDatabaseWasDown() throws Exception {
        List<StateTransition> transitions = new CopyOnWriteArrayList<>();
        try (ControlPlane cp = ControlPlane.builder().store(store).heartbeatTimeout(HEARTBEAT_TIMEOUT)
                .tickInterval(Duration.ofMillis(100))
                .listener(new ControlPlaneListener() {
                    @Override
                    public void transition(StateTransition t) {
                        transitions.add(t);
                    }
                }).build()) {
            cp.start();
            Poll.until(WAIT, "leadership", cp::isLeader);
            cp.register(node("n1"));
            cp.heartbeat("n1", HeartbeatReport.claiming(NodeState.READY));
            Poll.until(WAIT, "n1 to be Ready", () -> cp.get("n1").state() == NodeState.READY);

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
                Poll.until(WAIT, "10 heartbeats refused (5 s of outage)", () -> refused.get() >= 10);
                proxy.restore();
                int before = stored.get();
                Poll.until(WAIT, "10 heartbeats stored after recovery (longer than the timeout)",
                        () -> stored.get() >= before + 10 && cp.isLeader());
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
