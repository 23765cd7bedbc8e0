package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class StateRuleTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final NodeSpec SCHEDULABLE = new NodeSpec("h", false);
    private static final NodeSpec CORDONED = new NodeSpec("h", true);

    private static StateRule.Outcome eval(NodeSpec spec, AgentClaim claim, List<Condition> agent, boolean seen, Duration silence) {
        return StateRule.evaluate(new StateRule.Input(spec, claim, agent, List.of(), seen, silence, TIMEOUT, T0, T0));
    }

    private static ConditionStatus status(StateRule.Outcome o, String type) {
        return o.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow().status();
    }

    @Test
    void aFreshHeartbeatMakesANodeReady() {
        StateRule.Outcome o = eval(SCHEDULABLE, null, List.of(), true, Duration.ofSeconds(1));
        assertEquals(NodeState.READY, o.state());
        assertEquals(ConditionStatus.TRUE, status(o, Condition.READY));
        assertEquals(ConditionStatus.FALSE, status(o, Condition.NO_HEARTBEAT));
        assertEquals(ConditionStatus.FALSE, status(o, Condition.UNSCHEDULABLE));
    }

    @Test
    void aNodeThatNeverHeartbeatedIsNotReadyAndItsReadinessIsUnknown() {
        StateRule.Outcome o = eval(SCHEDULABLE, null, List.of(), false, Duration.ZERO);
        assertEquals(NodeState.NOT_READY, o.state());
        assertEquals(ConditionStatus.UNKNOWN, status(o, Condition.READY));
        assertEquals(ConditionStatus.FALSE, status(o, Condition.NO_HEARTBEAT), "the timeout has not passed yet");
    }

    @Test
    void silenceExactlyAtTheTimeoutIsStillFreshAndOneNanosecondMoreIsNot() {
        assertEquals(NodeState.READY, eval(SCHEDULABLE, null, List.of(), true, TIMEOUT).state());
        StateRule.Outcome late = eval(SCHEDULABLE, null, List.of(), true, TIMEOUT.plusNanos(1));
        assertEquals(NodeState.NOT_READY, late.state());
        assertEquals(ConditionStatus.TRUE, status(late, Condition.NO_HEARTBEAT));
        assertEquals(StateRule.REASON_HEARTBEAT_TIMEOUT, late.conditions().get(0).reason());
    }

    @Test
    void unknownSilenceMeansPastTheTimeout() {
        StateRule.Outcome o = eval(SCHEDULABLE, null, List.of(), true, null);
        assertEquals(NodeState.NOT_READY, o.state());
        assertEquals(ConditionStatus.TRUE, status(o, Condition.NO_HEARTBEAT));
    }

    @Test
    void drainingWinsOverEverythingElse() {
        assertEquals(NodeState.DRAINING, eval(CORDONED, null, List.of(), true, Duration.ZERO).state());
        assertEquals(NodeState.DRAINING, eval(CORDONED, null, List.of(), false, null).state());
        assertEquals(NodeState.DRAINING, eval(CORDONED, new AgentClaim(NodeState.READY, null, null), List.of(), true, Duration.ZERO).state());
        assertEquals(NodeState.DRAINING, eval(SCHEDULABLE, new AgentClaim(NodeState.DRAINING, null, null), List.of(), true, Duration.ZERO).state());
        StateRule.Outcome cordoned = eval(CORDONED, null, List.of(), true, Duration.ZERO);
        assertEquals(ConditionStatus.TRUE, status(cordoned, Condition.UNSCHEDULABLE));
        assertEquals(ConditionStatus.TRUE, status(cordoned, Condition.READY), "a healthy cordoned node is still Ready=True");
    }

    @Test
    void aClaimedReadyCannotLiftAMissedHeartbeat() {
        assertEquals(NodeState.NOT_READY, eval(SCHEDULABLE, new AgentClaim(NodeState.READY, null, null), List.of(), true,
                TIMEOUT.plusSeconds(1)).state());
    }

    @Test
    void anAgentClaimingNotReadyIsNotReadyWithItsReason() {
        StateRule.Outcome o = eval(SCHEDULABLE, new AgentClaim(NodeState.NOT_READY, AgentClaim.AGENT_SHUTDOWN, "stopping"),
                List.of(), true, Duration.ZERO);
        assertEquals(NodeState.NOT_READY, o.state());
        Condition ready = o.conditions().get(0);
        assertEquals(ConditionStatus.FALSE, ready.status());
        assertEquals(AgentClaim.AGENT_SHUTDOWN, ready.reason());
        assertEquals("stopping", ready.message());
    }

    @Test
    void aCriticalConditionMakesANodeNotReadyButPressureDoesNot() {
        Condition netDown = Condition.of(Condition.NETWORK_UNAVAILABLE, ConditionStatus.TRUE, "NoRoute", null);
        Condition memory = Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.TRUE, "Low", null);
        StateRule.Outcome down = eval(SCHEDULABLE, null, List.of(netDown), true, Duration.ZERO);
        assertEquals(NodeState.NOT_READY, down.state());
        assertEquals(Condition.NETWORK_UNAVAILABLE, down.conditions().get(0).reason());
        assertEquals(NodeState.READY, eval(SCHEDULABLE, null, List.of(memory), true, Duration.ZERO).state());
    }

    @Test
    void agentConditionsOfControlPlaneTypesAreIgnored() {
        Condition forged = Condition.of(Condition.NO_HEARTBEAT, ConditionStatus.TRUE, "Forged", null);
        StateRule.Outcome o = eval(SCHEDULABLE, null, List.of(forged), true, Duration.ZERO);
        assertEquals(NodeState.READY, o.state());
        assertEquals(3, o.conditions().size());
        assertEquals(ConditionStatus.FALSE, status(o, Condition.NO_HEARTBEAT));
    }

    @Test
    void transitionTimesMoveOnlyWhenAStatusChanges() {
        Instant later = T0.plusSeconds(30);
        StateRule.Outcome first = StateRule.evaluate(new StateRule.Input(SCHEDULABLE, null, List.of(), List.of(), true,
                Duration.ZERO, TIMEOUT, T0, T0));
        StateRule.Outcome again = StateRule.evaluate(new StateRule.Input(SCHEDULABLE, null, List.of(), first.conditions(), true,
                Duration.ofSeconds(30), TIMEOUT, T0, later));
        for (int i = 0; i < 3; i++) {
            assertEquals(T0, again.conditions().get(i).lastTransitionTime(), again.conditions().get(i).type());
        }
        assertEquals(first.conditions(), again.conditions(), "an unchanged evaluation gives equal conditions");
        StateRule.Outcome cordoned = StateRule.evaluate(new StateRule.Input(CORDONED, null, List.of(), again.conditions(), true,
                Duration.ofSeconds(30), TIMEOUT, T0, later));
        Condition unschedulable = cordoned.conditions().get(2);
        assertEquals(later, unschedulable.lastTransitionTime());
        assertEquals(T0, cordoned.conditions().get(0).lastTransitionTime(), "Ready did not change");
    }

    @Test
    void agentConditionsOfDifferentNodesShareEqualWordsAndKeepTheirOwnWhenRepeated() {
        // Two nodes' reports, parsed apart: equal words in other String instances.
        Condition one = new Condition(Condition.MEMORY_PRESSURE, ConditionStatus.FALSE, new String("SufficientMemory"),
                new String("7.5Gi of 16Gi memory available (rule test)"), T0, null);
        Condition two = new Condition(new String(Condition.MEMORY_PRESSURE), ConditionStatus.FALSE, new String("SufficientMemory"),
                new String("7.5Gi of 16Gi memory available (rule test)"), T0, null);
        Condition first = agentCondition(eval(SCHEDULABLE, null, List.of(one), true, Duration.ZERO));
        Condition second = agentCondition(eval(SCHEDULABLE, null, List.of(two), true, Duration.ZERO));
        assertEquals(first, second);
        assertSame(first.type(), second.type());
        assertSame(first.reason(), second.reason());
        assertSame(first.message(), second.message(), "one message held for both nodes");

        // The first node's next report: its free memory moved to what the second node holds already.
        Condition moved = new Condition(Condition.MEMORY_PRESSURE, ConditionStatus.FALSE, "SufficientMemory",
                new String("7.4Gi of 16Gi memory available (rule test)"), T0, null);
        Condition other = agentCondition(eval(SCHEDULABLE, null, List.of(new Condition(Condition.MEMORY_PRESSURE,
                ConditionStatus.FALSE, "SufficientMemory", "7.4Gi of 16Gi memory available (rule test)", T0, null)), true, Duration.ZERO));
        Condition next = agentCondition(StateRule.evaluate(new StateRule.Input(SCHEDULABLE, null, List.of(moved),
                List.of(first), true, Duration.ZERO, TIMEOUT, T0, T0.plusSeconds(30))));
        assertEquals("7.4Gi of 16Gi memory available (rule test)", next.message());
        assertSame(other.message(), next.message(), "a changed message is the shared one");
        assertSame(first.reason(), next.reason(), "an unchanged reason is the node's own");
        assertEquals(first.lastTransitionTime(), next.lastTransitionTime(), "the status did not change");
    }

    private static Condition agentCondition(StateRule.Outcome o) {
        return o.conditions().stream().filter(c -> c.type().equals(Condition.MEMORY_PRESSURE)).findFirst().orElseThrow();
    }

    @Test
    void theRuleIsPure() {
        StateRule.Input in = new StateRule.Input(SCHEDULABLE, null, List.of(), List.of(), true, Duration.ofSeconds(5), TIMEOUT, T0, T0);
        assertEquals(StateRule.evaluate(in), StateRule.evaluate(in));
        assertSame(NodeState.READY, StateRule.evaluate(in).state());
    }
}
