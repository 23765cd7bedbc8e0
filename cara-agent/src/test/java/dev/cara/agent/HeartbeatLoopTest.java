package dev.cara.agent;

import dev.cara.sdk.AgentClaim;
import dev.cara.sdk.AlreadyExistsException;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.UnavailableException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatLoopTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    /**
     * The budget for a last heartbeat that should get through. The fake client answers at once, but
     * shutdown waits for its sender thread in real time, so a short budget would also measure how soon
     * a busy machine schedules that thread.
     */
    static final Duration AMPLE_BUDGET = Duration.ofSeconds(30);
    private static final HeartbeatReport FACTS = new HeartbeatReport(null, new NetworkStatus("10.0.0.7", null, null, 9090),
            ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi")), ResourceList.parse(Map.of("cpu", "3900m", "memory", "7936Mi")),
            null, List.of(Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.FALSE, "SufficientMemory", null)));

    private final ManualScheduler time = new ManualScheduler();
    private final FakeClient client = new FakeClient(time);
    private final CapturedLog log = new CapturedLog();
    private double randomValue = 0.5;

    private HeartbeatLoop loop() {
        return HeartbeatLoop.builder()
                .client(client)
                .manifest(Node.builder("w1").hostname("W1.lan").label("zone", "a").build())
                .reports(() -> FACTS)
                .interval(INTERVAL)
                .scheduler(time)
                .ticker(time)
                .random(() -> randomValue)
                .logger(log.logger)
                .build();
    }

    private static UnavailableException unreachable() {
        return new UnavailableException("cannot reach http://fake:8080", new ConnectException("Connection refused"));
    }

    @Test
    void registersThenSendsTheFirstHeartbeatAtOnceClaimingReady() {
        HeartbeatLoop loop = loop();
        loop.start();
        time.runDue();

        assertEquals(List.of("register", "heartbeat"), client.calls.stream().map(FakeClient.Call::kind).toList());
        FakeClient.Call first = client.calls("heartbeat").get(0);
        assertEquals(client.calls("register").get(0).at(), first.at(), "the first heartbeat is not an interval late");
        assertEquals(NodeState.READY, first.report().state());
        assertEquals(FACTS.capacity(), first.report().capacity());
        assertEquals(AgentStatus.Phase.REGISTERED, loop.status().phase());
        assertEquals(AgentStatus.Connection.CONNECTED, loop.status().connection());
        assertEquals(1, loop.status().heartbeats());
    }

    @Test
    void onlyTheFirstHeartbeatClaimsReadySoThatTheControlPlaneDecides() {
        loop().start();
        time.advance(INTERVAL.multipliedBy(5));
        List<FakeClient.Call> beats = client.calls("heartbeat");
        assertTrue(beats.size() >= 5);
        assertEquals(NodeState.READY, beats.get(0).report().state());
        for (FakeClient.Call c : beats.subList(1, beats.size())) {
            assertNull(c.report().state(), "later heartbeats report facts only");
            assertTrue(c.report().conditions().stream().noneMatch(x -> x.type().equals(Condition.READY)));
        }
    }

    @Test
    void anExistingNodeIsNormalAfterARestart() {
        client.registerFailure = () -> new AlreadyExistsException("node \"w1\" already exists");
        HeartbeatLoop loop = loop();
        loop.start();
        time.runDue();

        assertEquals(1, client.calls("register").size());
        assertEquals(1, client.calls("heartbeat").size());
        assertEquals(NodeState.READY, client.calls("heartbeat").get(0).report().state());
        assertEquals(AgentStatus.Phase.REGISTERED, loop.status().phase());
        assertTrue(log.lines(Level.WARNING).isEmpty() && log.lines(Level.SEVERE).isEmpty(), log.lines().toString());
        assertTrue(log.lines(Level.INFO).stream().anyMatch(l -> l.contains("already registered")));
    }

    /** What needs the node (the agent's project loop and watch) starts only once it is registered, or found registered. */
    @Test
    void theRegisteredHookRunsAfterTheRegistrationAndNotBefore() {
        List<String> seen = new java.util.ArrayList<>();
        client.registerFailure = () -> new dev.cara.sdk.UnavailableException("control plane down");
        HeartbeatLoop loop = HeartbeatLoop.builder().client(client).manifest(Node.builder("w1").build()).reports(() -> FACTS)
                .interval(INTERVAL).scheduler(time).ticker(time).random(() -> 0.5).logger(log.logger)
                .onRegistered(() -> seen.add("registered after " + client.calls("register").size() + " attempt(s)")).build();
        loop.start();
        time.runDue();
        assertTrue(seen.isEmpty(), "a failed registration runs no hook: " + seen);

        client.registerFailure = () -> new AlreadyExistsException("node \"w1\" already exists");
        time.advance(INTERVAL);
        assertEquals(1, seen.size(), seen.toString());
        assertTrue(seen.get(0).startsWith("registered after "), seen.toString());
        assertEquals(AgentStatus.Phase.REGISTERED, loop.status().phase());
    }

    @Test
    void heartbeatsAreSpreadByTenPercentEitherWay() {
        randomValue = 0.0;
        loop().start();
        time.advance(INTERVAL.multipliedBy(3));
        randomValue = 0.999999;
        time.advance(INTERVAL.multipliedBy(3));
        List<Long> gaps = client.gapsBetween("heartbeat");
        assertTrue(gaps.contains(Duration.ofSeconds(27).toNanos()), gaps.toString());
        assertTrue(gaps.stream().anyMatch(g -> g > Duration.ofMillis(32_999).toNanos()), gaps.toString());
        for (long g : gaps) {
            assertTrue(g >= Duration.ofSeconds(27).toNanos() && g <= Duration.ofSeconds(33).toNanos(), "gap " + g);
        }
    }

    @Test
    void anUnreachableServerIsRetriedWithBackoffCappedAtTheIntervalAndLoggedOnce() {
        randomValue = 0.999999; // the top of each jitter range: the nominal delay
        client.registerFailure = HeartbeatLoopTest::unreachable;
        HeartbeatLoop loop = loop();
        loop.start();
        time.advance(Duration.ofMinutes(10));

        List<Long> gaps = client.gapsBetween("register");
        // 1s, 2s, 4s, 8s, 16s, then the 30s interval forever.
        long[] expected = {1, 2, 4, 8, 16, 30, 30, 30};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], Math.round(gaps.get(i) / 1e9), "gap " + i + " of " + gaps);
        }
        assertTrue(gaps.stream().allMatch(g -> g <= INTERVAL.toNanos()), "never longer than the interval");
        assertTrue(client.calls("register").size() > 20, "it keeps trying forever");
        assertEquals(AgentStatus.Connection.LOST, loop.status().connection());
        assertEquals(1, log.lines(Level.WARNING).size(), log.lines().toString());
        assertTrue(log.lines(Level.WARNING).get(0).contains("cannot reach the control plane at http://fake:8080"));
        assertTrue(loop.status().lastProblem().orElseThrow().contains("cannot reach"));

        client.registerFailure = null;
        time.advance(INTERVAL);
        assertEquals(AgentStatus.Connection.CONNECTED, loop.status().connection());
        assertEquals(AgentStatus.Phase.REGISTERED, loop.status().phase());
        assertEquals(1, client.calls("heartbeat").size(), "registered, then the first heartbeat at once");
        List<String> info = log.lines(Level.INFO);
        assertEquals(1, info.stream().filter(l -> l.contains("is back after")).count(), info.toString());
        assertEquals(1, log.lines(Level.WARNING).size(), "recovering logs no warning");
    }

    @Test
    void aLostConnectionDuringHeartbeatsIsLoggedOnceWhenLostAndOnceWhenBack() {
        HeartbeatLoop loop = loop();
        loop.start();
        time.advance(INTERVAL.multipliedBy(2));
        int before = client.calls("heartbeat").size();

        client.heartbeatFailure = () -> new CaraException("the server answered 500 Internal Server Error");
        time.advance(Duration.ofMinutes(5));
        int failed = client.calls("heartbeat").size() - before;
        assertTrue(failed > 10, "retries while the server fails: " + failed);
        assertEquals(1, log.lines(Level.WARNING).size(), log.lines().toString());
        assertTrue(log.lines(Level.WARNING).get(0).startsWith("lost the connection to the control plane at http://fake:8080"));
        assertEquals(failed, loop.status().failuresInARow());

        client.heartbeatFailure = null;
        time.advance(INTERVAL);
        assertEquals(0, loop.status().failuresInARow());
        assertEquals(1, log.lines(Level.INFO).stream().filter(l -> l.contains("is back after")).count());
        // Back to the normal rhythm, and no second Ready claim: the claim from start still stands.
        int at = client.calls("heartbeat").size();
        time.advance(INTERVAL.multipliedBy(3));
        assertTrue(client.calls("heartbeat").size() - at >= 2);
        assertTrue(client.calls("heartbeat").subList(1, client.calls("heartbeat").size()).stream()
                .allMatch(c -> c.report().state() == null));
    }

    @Test
    void aReadyClaimThatNeverArrivedIsRepeatedUntilOneIsAccepted() {
        client.heartbeatFailure = HeartbeatLoopTest::unreachable;
        loop().start();
        time.advance(Duration.ofSeconds(10));
        int failed = client.calls("heartbeat").size();
        client.heartbeatFailure = null;
        time.advance(INTERVAL.multipliedBy(3));
        List<FakeClient.Call> beats = client.calls("heartbeat");
        assertTrue(failed >= 2 && beats.size() >= failed + 3, beats.size() + " after " + failed);
        for (int i = 0; i <= failed; i++) {
            assertEquals(NodeState.READY, beats.get(i).report().state(), "attempt " + i + " carries the claim");
        }
        for (int i = failed + 1; i < beats.size(); i++) {
            assertNull(beats.get(i).report().state(), "heartbeat " + i + " after the accepted claim");
        }
    }

    @Test
    void aDeletedNodeStopsTheLoopWithOneLineAndNoReRegistration() {
        HeartbeatLoop loop = loop();
        loop.start();
        time.advance(INTERVAL);
        client.heartbeatFailure = () -> new NotFoundException("node \"w1\" not found");
        time.advance(INTERVAL.multipliedBy(2));
        int calls = client.calls.size();

        time.advance(Duration.ofHours(2));
        assertEquals(calls, client.calls.size(), "idle: no heartbeat and no registration");
        assertEquals(1, client.calls("register").size());
        assertEquals(0, time.pending());
        assertEquals(AgentStatus.Phase.DELETED, loop.status().phase());
        List<String> warnings = log.lines(Level.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("was deleted") && warnings.get(0).contains("Restart the agent to register it again"));
        assertEquals("deleted", AgentEndpoint.summary(loop.status()));
    }

    @Test
    void aRefusedHeartbeatIsLoggedOnceAndTheLoopCarriesOnAtTheInterval() {
        HeartbeatLoop loop = loop();
        loop.start();
        time.runDue();
        client.heartbeatFailure = () -> new InvalidException("status.capacity.cpu", "x", "a quantity");
        time.advance(INTERVAL.multipliedBy(10));
        assertTrue(client.calls("heartbeat").size() >= 10);
        assertEquals(1, log.lines(Level.WARNING).size(), log.lines().toString());
        assertEquals(AgentStatus.Connection.CONNECTED, loop.status().connection(), "the server answered");
        for (long g : client.gapsBetween("heartbeat")) {
            assertTrue(g >= Duration.ofSeconds(27).toNanos(), "no backoff storm on a 400: " + g);
        }
    }

    @Test
    void aProbeThatFailsIsLoggedOnceAndTheLastFactsAreReported() {
        AtomicInteger probes = new AtomicInteger();
        HeartbeatLoop loop = HeartbeatLoop.builder().client(client)
                .manifest(Node.builder("w1").build())
                .reports(() -> {
                    if (probes.incrementAndGet() > 1) {
                        throw new IllegalStateException("/proc is gone");
                    }
                    return FACTS;
                })
                .interval(INTERVAL).scheduler(time).ticker(time).random(() -> 0.5).logger(log.logger).build();
        loop.start();
        time.advance(INTERVAL.multipliedBy(5));
        List<FakeClient.Call> beats = client.calls("heartbeat");
        assertTrue(beats.size() >= 5);
        assertEquals(FACTS.capacity(), beats.get(beats.size() - 1).report().capacity());
        assertNull(beats.get(beats.size() - 1).report().state(), "the fallback does not repeat the Ready claim");
        assertEquals(1, log.lines(Level.WARNING).size(), log.lines().toString());
        assertTrue(log.lines(Level.WARNING).get(0).contains("/proc is gone"));
    }

    @Test
    void aPlannedStopSendsOneLastHeartbeatThatClaimsNotReadyWithAgentShutdown() {
        HeartbeatLoop loop = loop();
        loop.start();
        time.advance(INTERVAL);
        int before = client.calls("heartbeat").size();

        assertTrue(loop.shutdown(AMPLE_BUDGET));
        List<FakeClient.Call> beats = client.calls("heartbeat");
        assertEquals(before + 1, beats.size());
        HeartbeatReport last = beats.get(beats.size() - 1).report();
        assertEquals(NodeState.NOT_READY, last.state());
        Condition ready = last.conditions().stream().filter(c -> c.type().equals(Condition.READY)).findFirst().orElseThrow();
        assertEquals(ConditionStatus.FALSE, ready.status());
        assertEquals(AgentClaim.AGENT_SHUTDOWN, ready.reason());
        assertTrue(last.conditions().stream().anyMatch(c -> c.type().equals(Condition.MEMORY_PRESSURE)),
                "the agent's own conditions stay in the set");
        assertEquals(FACTS.capacity(), last.capacity());

        time.advance(Duration.ofHours(1));
        assertEquals(before + 1, client.calls("heartbeat").size(), "nothing after the last heartbeat");
        assertEquals(AgentStatus.Phase.STOPPED, loop.status().phase());
    }

    @Test
    void aStopBeforeRegistrationOrAfterDeletionSendsNothing() {
        client.registerFailure = HeartbeatLoopTest::unreachable;
        HeartbeatLoop unregistered = loop();
        unregistered.start();
        time.advance(Duration.ofSeconds(5));
        assertFalse(unregistered.shutdown(Duration.ofSeconds(3)));
        assertEquals(0, client.calls("heartbeat").size());

        client.registerFailure = null;
        client.heartbeatFailure = () -> new NotFoundException("gone");
        HeartbeatLoop deleted = loop();
        deleted.start();
        time.runDue();
        int calls = client.calls.size();
        assertFalse(deleted.shutdown(Duration.ofSeconds(3)));
        assertEquals(calls, client.calls.size());
    }

    @Test
    void aStopThatCannotReachTheServerGivesUpWithinItsBudget() {
        HeartbeatLoop loop = loop();
        loop.start();
        time.runDue();
        client.heartbeatFailure = HeartbeatLoopTest::unreachable;
        assertFalse(loop.shutdown(Duration.ofSeconds(3)));
        assertTrue(log.lines(Level.WARNING).stream().anyMatch(l -> l.startsWith("could not send the last heartbeat")));
        assertEquals(AgentStatus.Phase.STOPPED, loop.status().phase());
    }

    /**
     * Defect 8: when {@code shutdown} could not take the step lock in time, it went on without it and
     * sent its NotReady while the first heartbeat's Ready claim was still in flight, so the Ready could
     * land last and the stopped agent's node stayed Ready until the timeout.
     */
    @Test
    void shutdownThatCannotTakeTheStepLockNeverLetsAnInFlightReadyLandAfterItsNotReady() throws InterruptedException {
        CountDownLatch releaseReady = new CountDownLatch(1);
        HeartbeatLoop loop = loop();
        Thread step = startWithTheReadyClaimHeld(loop, releaseReady); // the step holds the lock, its Ready not landed

        // A budget far shorter than the held step: shutdown cannot have the lock within it.
        boolean sent = loop.shutdown(Duration.ofMillis(30));
        releaseReady.countDown();
        step.join();

        List<NodeState> claims = client.landed().stream().map(HeartbeatReport::state).filter(java.util.Objects::nonNull).toList();
        int lastNotReady = claims.lastIndexOf(NodeState.NOT_READY);
        assertTrue(lastNotReady < 0 || lastNotReady > claims.lastIndexOf(NodeState.READY),
                "a Ready landed after the last NotReady: " + claims);
        assertFalse(sent, "no goodbye could be sent safely while a step was in flight");
        assertTrue(log.lines(Level.WARNING).stream().anyMatch(l -> l.contains("still in flight")), log.lines().toString());
        assertEquals(AgentStatus.Phase.STOPPED, loop.status().phase());
        assertEquals(0, time.pending(), "nothing scheduled after the stop");
    }

    @Test
    void aStepInFlightAtShutdownFinishesFirstAndTheNotReadyLandsAfterIt() throws Exception {
        CountDownLatch releaseReady = new CountDownLatch(1);
        HeartbeatLoop loop = loop();
        Thread step = startWithTheReadyClaimHeld(loop, releaseReady);

        java.util.concurrent.CompletableFuture<Boolean> sent = new java.util.concurrent.CompletableFuture<>();
        Thread stopper = Thread.ofPlatform().name("test-shutdown").start(() -> sent.complete(loop.shutdown(AMPLE_BUDGET)));
        releaseReady.countDown(); // whether shutdown is already waiting or not, the step ends first
        step.join();
        stopper.join();

        assertTrue(sent.get());
        assertEquals(List.of(NodeState.READY, NodeState.NOT_READY), client.landed().stream().map(HeartbeatReport::state).toList());
        assertEquals(AgentStatus.Phase.STOPPED, loop.status().phase());
    }

    /**
     * Starts {@code loop} with its first step on a thread of its own, and returns once that step has
     * sent its Ready claim and is held, holding the step lock, until {@code release} opens.
     */
    private Thread startWithTheReadyClaimHeld(HeartbeatLoop loop, CountDownLatch release) throws InterruptedException {
        CountDownLatch readyInFlight = new CountDownLatch(1);
        client.inFlight = report -> {
            if (report.state() == NodeState.READY) {
                readyInFlight.countDown();
                awaitQuietly(release);
            }
        };
        loop.start();
        Thread step = Thread.ofPlatform().name("test-step").start(time::runDue);
        readyInFlight.await();
        return step;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theBuilderRejectsABackoffLongerThanTheInterval() {
        HeartbeatLoop.Builder b = HeartbeatLoop.builder().client(client).manifest(Node.builder("w1").build())
                .reports(() -> FACTS).interval(INTERVAL).scheduler(time)
                .backoff(new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, b::build);
    }
}
