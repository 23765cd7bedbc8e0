package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeartbeatMergeTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
    private static final ResourceList CAP = ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi"));

    private static NodeStatus reported(HeartbeatReport r) {
        return HeartbeatMerge.merge(NodeStatus.INITIAL, r, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void anEmptyReportOnlyStampsTheHeartbeatAndKeepsTheState() {
        NodeStatus before = reported(new HeartbeatReport(NodeState.READY, new NetworkStatus("10.0.0.1", null, null, 9090),
                CAP, CAP, new NodeInfo("6.1", "Debian", "0.1"), null));
        NodeStatus after = HeartbeatMerge.merge(before, HeartbeatReport.EMPTY, NOW);
        assertEquals(NOW, after.lastHeartbeat());
        assertEquals(before.withLastHeartbeat(NOW), after);
        assertEquals(NodeState.NOT_READY, after.state(), "the state is the rule's to decide, not the merge's");
    }

    @Test
    void networkMergesFieldByFieldWhileCapacityAllocatableAndInfoAreReplaced() {
        NodeStatus before = reported(new HeartbeatReport(null, new NetworkStatus("10.0.0.1", null, NetworkMode.DIRECT, 9090),
                CAP, CAP, new NodeInfo("6.1", "Debian", "0.1"), null));
        ResourceList two = ResourceList.parse(Map.of("cpu", "2"));
        NodeStatus after = HeartbeatMerge.merge(before, new HeartbeatReport(null, new NetworkStatus(null, "w1.mesh", null, null),
                two, null, new NodeInfo(null, null, "0.2"), null), NOW);
        assertEquals(new NetworkStatus("10.0.0.1", "w1.mesh", NetworkMode.DIRECT, 9090), after.network());
        assertEquals(two, after.capacity());
        assertEquals(CAP, after.allocatable(), "allocatable was not named: kept");
        assertEquals(new NodeInfo(null, null, "0.2"), after.info());
    }

    @Test
    void repeatedFactsKeepTheInstancesAlreadyHeld() {
        NodeStatus before = reported(new HeartbeatReport(NodeState.READY, new NetworkStatus("10.0.0.1", null, null, 9090),
                CAP, CAP, new NodeInfo("6.1", "Debian", "0.1"), null));
        NodeStatus after = HeartbeatMerge.merge(before, new HeartbeatReport(NodeState.READY,
                new NetworkStatus("10.0.0.1", null, null, 9090), ResourceList.parse(Map.of("cpu", "4", "memory", "8Gi")),
                null, new NodeInfo("6.1", "Debian", "0.1"), null), NOW);
        assertSame(before.network(), after.network());
        assertSame(before.capacity(), after.capacity());
        assertSame(before.info(), after.info());
        assertSame(before.claim(), after.claim());
    }

    @Test
    void reportedConditionsReplaceTheAgentsSetButNeverTheControlPlanesOwn() {
        NodeStatus before = reported(new HeartbeatReport(null, null, null, null, null,
                List.of(Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.TRUE, "Low", null))));
        before = new NodeStatus(before.state(), before.network(), before.capacity(), before.allocatable(), before.info(),
                before.lastHeartbeat(), List.of(Condition.of(Condition.NO_HEARTBEAT, ConditionStatus.FALSE, "AgentHeartbeating", null),
                before.conditions().get(0)), before.claim());
        NodeStatus after = HeartbeatMerge.merge(before, new HeartbeatReport(null, null, null, null, null,
                List.of(Condition.of(Condition.DISK_PRESSURE, ConditionStatus.TRUE, "Full", null),
                        Condition.of(Condition.NO_HEARTBEAT, ConditionStatus.TRUE, "Forged", null))), NOW);
        assertEquals(List.of(Condition.NO_HEARTBEAT, Condition.DISK_PRESSURE), after.conditions().stream().map(Condition::type).toList());
        assertEquals(ConditionStatus.FALSE, after.condition(Condition.NO_HEARTBEAT).orElseThrow().status(), "not taken from the agent");
        assertEquals(NOW, after.condition(Condition.DISK_PRESSURE).orElseThrow().lastHeartbeatTime());
    }

    @Test
    void aReadyConditionStandsInForAStateClaim() {
        NodeStatus after = reported(new HeartbeatReport(null, null, null, null, null,
                List.of(Condition.of(Condition.READY, ConditionStatus.FALSE, "KubeletDown", "the kubelet stopped"))));
        assertEquals(new AgentClaim(NodeState.NOT_READY, "KubeletDown", "the kubelet stopped"), after.claim());
        assertTrue(after.condition(Condition.READY).isEmpty(), "the agent's Ready is a claim, not a condition it owns");
        NodeStatus unknown = reported(new HeartbeatReport(null, null, null, null, null,
                List.of(Condition.of(Condition.READY, ConditionStatus.UNKNOWN, null, null))));
        assertNull(unknown.claim(), "Unknown claims nothing");
    }

    @Test
    void aStateClaimTakesItsReasonFromAReadyConditionBesideIt() {
        NodeStatus after = reported(new HeartbeatReport(NodeState.NOT_READY, null, null, null, null,
                List.of(Condition.of(Condition.READY, ConditionStatus.FALSE, AgentClaim.AGENT_SHUTDOWN, "stopping"))));
        assertEquals(new AgentClaim(NodeState.NOT_READY, AgentClaim.AGENT_SHUTDOWN, "stopping"), after.claim());
        NodeStatus plain = HeartbeatMerge.merge(after, HeartbeatReport.claiming(NodeState.READY), NOW);
        assertEquals(new AgentClaim(NodeState.READY, null, null), plain.claim());
    }
}
