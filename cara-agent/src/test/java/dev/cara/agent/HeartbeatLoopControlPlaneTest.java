package dev.cara.agent;

import dev.cara.sdk.AgentClaim;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.ControlPlane;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.spi.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop against a real control plane in this JVM: what operators would see, on fake time. */
class HeartbeatLoopControlPlaneTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final ManualScheduler time = new ManualScheduler();
    private final ControlPlane cp = ControlPlane.builder().store(MemoryStore.create()).clock(time).ticker(time)
            .heartbeatTimeout(TIMEOUT).manualTicks(true).build().start();
    private final CaraClient client = CaraClient.inProcess(cp);
    private final HostReports reports = new HostReports(ResourceList.parse(java.util.Map.of("cpu", "100m", "memory", "256Mi")),
            PressureThreshold.percent(5), PressureThreshold.percent(10), "test", 9090);
    private final HostFacts facts = new HostFacts(4, 8L << 30, 6L << 30, 100L << 30, 50L << 30, "6.8.0", "Ubuntu 24.04",
            Optional.of("10.0.0.7"));

    @AfterEach
    void close() {
        cp.close();
    }

    private HeartbeatLoop agent() {
        return HeartbeatLoop.builder().client(client)
                .manifest(Node.builder("w1").hostname("w1.lan").label("zone", "a").build())
                .reports(() -> reports.report(facts))
                .interval(INTERVAL).scheduler(time).ticker(time).random(() -> 0.5)
                .logger(new CapturedLog().logger).build();
    }

    private void advance(Duration d) {
        time.advance(d);
        cp.tick();
    }

    @Test
    void aStartedAgentMakesItsNodeReadyWithItsFacts() {
        agent().start();
        advance(Duration.ZERO);
        Node node = cp.get("w1");
        assertEquals(NodeState.READY, node.state());
        assertEquals("w1.lan", node.spec().hostname());
        assertEquals("a", node.metadata().labels().get("zone"));
        assertEquals(Quantity.of(4), node.status().capacity().amount("cpu"));
        assertEquals(Quantity.parse("3900m"), node.status().allocatable().amount("cpu"));
        assertEquals(Quantity.parse("7936Mi"), node.status().allocatable().amount("memory"));
        assertEquals("10.0.0.7", node.status().network().ip());
        assertEquals(9090, node.status().network().agentPort());
        assertEquals("6.8.0", node.status().info().kernelVersion());
        assertEquals(ConditionStatus.FALSE, node.status().condition(Condition.MEMORY_PRESSURE).orElseThrow().status());

        advance(Duration.ofMinutes(10));
        assertEquals(NodeState.READY, cp.get("w1").state(), "heartbeats keep it Ready past the timeout");
    }

    @Test
    void theAgentsReadyClaimNeverLiftsADrain() {
        agent().start();
        advance(Duration.ZERO);
        cp.setUnschedulable("w1", true);
        advance(Duration.ofMinutes(5));
        assertEquals(NodeState.DRAINING, cp.get("w1").state());

        // Even a restarted agent, whose first heartbeat claims Ready again, leaves the drain alone.
        agent().start();
        advance(Duration.ZERO);
        assertEquals(NodeState.DRAINING, cp.get("w1").state());
    }

    @Test
    void aPlannedStopShowsNotReadyWithAgentShutdownAtOnceAndARestartBringsReadyBack() {
        HeartbeatLoop first = agent();
        first.start();
        advance(INTERVAL);
        assertTrue(first.shutdown(HeartbeatLoopTest.AMPLE_BUDGET));
        Node stopped = cp.get("w1");
        assertEquals(NodeState.NOT_READY, stopped.state());
        assertEquals(AgentClaim.AGENT_SHUTDOWN, stopped.status().condition(Condition.READY).orElseThrow().reason());

        advance(Duration.ofMinutes(1));
        HeartbeatLoop second = agent();
        second.start();
        advance(Duration.ZERO);
        assertEquals(AgentStatus.Phase.REGISTERED, second.status().phase(), "409 on register is normal");
        assertEquals(NodeState.READY, cp.get("w1").state());
    }

    @Test
    void aKilledAgentsNodeTurnsNotReadyAfterTheTimeout() {
        HeartbeatLoop loop = agent();
        loop.start();
        advance(INTERVAL);
        loop.stop(); // like kill -9: no last heartbeat
        advance(TIMEOUT.minusSeconds(40));
        assertEquals(NodeState.READY, cp.get("w1").state());
        advance(Duration.ofSeconds(60));
        assertEquals(NodeState.NOT_READY, cp.get("w1").state());
    }

    @Test
    void deletingTheNodeSendsTheAgentIdle() {
        HeartbeatLoop loop = agent();
        loop.start();
        advance(INTERVAL);
        cp.delete("w1");
        advance(INTERVAL.multipliedBy(2));
        assertEquals(AgentStatus.Phase.DELETED, loop.status().phase());
        advance(Duration.ofHours(1));
        assertTrue(cp.list(dev.cara.sdk.LabelSelector.everything()).isEmpty(), "the agent did not register again");
    }
}
