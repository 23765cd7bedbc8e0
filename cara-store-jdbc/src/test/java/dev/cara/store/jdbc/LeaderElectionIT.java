package dev.cara.store.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several control-plane replicas, each its own JVM, on one PostgreSQL schema. Agents heartbeat to
 * whichever replica is up (as through a load balancer). Checks: exactly one leads; a leader killed
 * with SIGKILL is replaced within the lease TTL; nodes that keep heartbeating never turn NotReady
 * during the failover while a silent node turns NotReady exactly once; a leader paused with SIGSTOP
 * past its lease writes no transition when it runs again.
 *
 * <p>Real time drives the leases here, so the margins are chosen for a busy two-core machine running
 * three replica JVMs, PostgreSQL and this JVM. A leader renews every {@code TTL / 3} and steps down at
 * {@code 0.75 * TTL} after its last renewal, so a pause of its JVM between {@code 0.42 * TTL} and
 * {@code 0.75 * TTL} long (by where it falls) costs it the lead: with the former 2 s TTL, 0.8 s could,
 * and an extra change of leader in the middle of a test moves what it measures. With 5 s it takes 2 s.
 */
class LeaderElectionIT {
    private static final Duration LEASE_TTL = Duration.ofSeconds(5);
    /**
     * What a failover may take beyond the TTL: the successor tries again 5 ms after the old lease runs
     * out, then needs a round trip to the database and its report has to reach this JVM; on a busy
     * machine each of those can wait for a core. A successor that waited another whole TTL would fail.
     */
    private static final Duration FAILOVER_SLACK = Duration.ofSeconds(2);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> LIVELY = List.of("lively-1", "lively-2", "lively-3");

    private TestDatabase db;
    private final List<Replica> replicas = new ArrayList<>();
    private final Set<Replica> unreachable = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService agents;
    private final AtomicInteger agentRounds = new AtomicInteger();

    @BeforeEach
    void setUp() {
        db = TestDatabase.postgres();
    }

    @AfterEach
    void tearDown() {
        if (agents != null) {
            agents.shutdownNow();
        }
        for (Replica r : replicas) {
            // What each replica said, for whoever reads a failed run's report.
            System.out.println("---- " + r);
            r.lines().forEach(l -> System.out.println(l.text()));
        }
        replicas.forEach(Replica::close);
        db.close();
    }

    private void startReplicas(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            replicas.add(Replica.start("r" + i, db.url(), HEARTBEAT_TIMEOUT, LEASE_TTL));
        }
    }

    private Replica awaitSoleLeader() {
        Poll.until(WAIT, "exactly one leader among " + replicas,
                () -> replicas.stream().filter(r -> r.alive() && !unreachable.contains(r) && r.leading()).count() == 1
                        && replicas.stream().filter(r -> r.alive() && r.leading()).count() == 1);
        return replicas.stream().filter(r -> r.alive() && r.leading()).findFirst().orElseThrow();
    }

    /** Every 250 ms each lively node heartbeats to the next replica that is up, round robin. */
    private void startAgents() {
        agents = Executors.newSingleThreadScheduledExecutor();
        agents.scheduleAtFixedRate(() -> {
            int round = agentRounds.getAndIncrement();
            List<Replica> up = replicas.stream().filter(r -> r.alive() && !unreachable.contains(r)).toList();
            for (int i = 0; i < LIVELY.size(); i++) {
                Replica to = up.get((round + i) % up.size());
                try {
                    to.send("hb " + LIVELY.get(i));
                } catch (RuntimeException e) {
                    // It died between the check and the send (kill -9): the load balancer tries another.
                    try {
                        up.get((round + i + 1) % up.size()).send("hb " + LIVELY.get(i));
                    } catch (RuntimeException again) {
                        System.err.println("agent: no replica took the heartbeat of " + LIVELY.get(i) + ": " + again);
                    }
                }
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
    }

    /** Waits for the agents to do {@code rounds} more rounds: a real-time wait that is also a progress check. */
    private void letAgentsRun(int rounds) {
        int target = agentRounds.get() + rounds;
        Poll.until(Duration.ofMillis(rounds * 250L + 10_000), rounds + " agent rounds", () -> agentRounds.get() >= target);
    }

    private List<String> transitions() {
        List<String> out = new ArrayList<>();
        for (Replica r : replicas) {
            for (Replica.Line l : r.lines()) {
                if (l.text().startsWith("TRANSITION ")) {
                    out.add(r.id + " " + l.text());
                }
            }
        }
        return out;
    }

    private long count(String transition) {
        return transitions().stream().filter(t -> t.endsWith(transition)).count();
    }

    private void registerAndWake(Replica via, String... names) {
        for (String n : names) {
            via.send("register " + n);
            via.send("hb " + n);
        }
    }

    @Test
    void aKilledLeaderIsReplacedWithinTheLeaseTtlWithoutFalseNotReady() throws Exception {
        startReplicas(3);
        Replica first = awaitSoleLeader();
        Replica other = replicas.stream().filter(r -> r != first).findFirst().orElseThrow();
        registerAndWake(other, LIVELY.toArray(String[]::new));
        registerAndWake(other, "quiet");
        startAgents();
        Poll.until(WAIT, "every node Ready", () -> count("NotReady Ready") >= 4);

        // "quiet" has gone silent since its one heartbeat; now the leader dies (asked again, in case
        // the lead has moved meanwhile).
        Replica leader = awaitSoleLeader();
        leader.kill9();
        long killedAt = System.nanoTime();
        Poll.until(LEASE_TTL.plus(WAIT), "a new leader", () -> replicas.stream().anyMatch(r -> r.alive() && r.leading()));
        Replica successor = awaitSoleLeader();
        long tookOver = successor.firstAfter("LEADER true", killedAt);
        assertTrue(tookOver >= 0, successor + " led already before the kill");
        long failover = tookOver - killedAt;
        assertTrue(Duration.ofNanos(failover).compareTo(LEASE_TTL.plus(FAILOVER_SLACK)) <= 0,
                "failover took " + Duration.ofNanos(failover).toMillis() + " ms; lease TTL is " + LEASE_TTL.toMillis() + " ms");

        Poll.until(HEARTBEAT_TIMEOUT.plus(WAIT), "the silent node to turn NotReady", () -> count("quiet Ready NotReady") >= 1);
        letAgentsRun(12); // three more seconds: nothing else may happen
        List<String> all = transitions();
        assertEquals(1, count("quiet Ready NotReady"), "the silent node turns NotReady exactly once: " + all);
        for (String n : LIVELY) {
            assertTrue(all.stream().noneMatch(t -> t.contains(" " + n + " Ready NotReady")),
                    n + " kept heartbeating but turned NotReady: " + all);
        }
    }

    @Test
    void aPausedLeaderWritesNoTransitionWhenItRunsAgain() throws Exception {
        startReplicas(2);
        Replica first = awaitSoleLeader();
        registerAndWake(replicas.stream().filter(r -> r != first).findFirst().orElseThrow(), LIVELY.toArray(String[]::new));
        startAgents();
        Poll.until(WAIT, "every node Ready", () -> count("NotReady Ready") >= 3);

        // Asked again, in case the lead has moved meanwhile.
        Replica leader = awaitSoleLeader();
        Replica follower = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();
        unreachable.add(leader);
        leader.signal("STOP");
        long stoppedAt = System.nanoTime();
        Poll.until(LEASE_TTL.plus(WAIT), "the follower to take over", follower::leading);
        // Stay paused past a whole heartbeat timeout: on waking, its monitor has heard nothing for that long.
        Poll.until(HEARTBEAT_TIMEOUT.plus(WAIT), "the pause to outlast the heartbeat timeout",
                () -> System.nanoTime() - stoppedAt > HEARTBEAT_TIMEOUT.plusMillis(500).toNanos() && agentRounds.get() > 0);
        int linesBefore = leader.lines().size();
        // Taken before the signal: the replica may wake and step down before signal() returns.
        long resumedAt = System.nanoTime();
        leader.signal("CONT");
        Poll.until(WAIT, "the old leader to step down", () -> !leader.leading());
        unreachable.remove(leader);
        letAgentsRun(12);

        List<Replica.Line> afterResume = leader.lines().subList(linesBefore, leader.lines().size());
        assertTrue(afterResume.stream().noneMatch(l -> l.text().startsWith("TRANSITION")),
                "the paused leader wrote a transition after it resumed: " + afterResume);
        assertTrue(afterResume.stream().anyMatch(l -> l.text().equals("LEADER false") && l.atNanos() >= resumedAt),
                "the paused leader did not step down after it resumed: " + afterResume);
        assertTrue(follower.leading());
        List<String> all = transitions();
        for (String n : LIVELY) {
            assertTrue(all.stream().noneMatch(t -> t.contains(" " + n + " Ready NotReady")),
                    n + " kept heartbeating but turned NotReady: " + all);
        }
    }
}
