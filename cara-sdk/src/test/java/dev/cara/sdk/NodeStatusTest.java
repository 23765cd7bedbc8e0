package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodeStatusTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final Condition READY = new Condition(Condition.READY, ConditionStatus.TRUE, "Heartbeating", null, T, T);
    private static final Condition NO_HB = new Condition(Condition.NO_HEARTBEAT, ConditionStatus.FALSE, null, null, T, T);
    private static final Condition DISK = new Condition(Condition.DISK_PRESSURE, ConditionStatus.TRUE, "Full", null, T, T);
    private static final Condition MEM = new Condition(Condition.MEMORY_PRESSURE, ConditionStatus.FALSE, null, null, T, T);

    private static NodeStatus with(Condition... conditions) {
        return NodeStatus.INITIAL.withConditions(List.of(conditions));
    }

    @Test
    void agentConditionsKeepTheAgentsTypesInOrderWhateverTheMix() {
        assertEquals(List.of(), with().agentConditions());
        assertEquals(List.of(), with(READY, NO_HB).agentConditions());
        assertEquals(List.of(DISK, MEM), with(DISK, MEM).agentConditions());
        assertEquals(List.of(DISK, MEM), with(READY, DISK, NO_HB, MEM).agentConditions());
    }

    @Test
    void agentConditionsCannotBeModified() {
        assertThrows(UnsupportedOperationException.class, () -> with(READY, DISK).agentConditions().add(MEM));
        assertThrows(UnsupportedOperationException.class, () -> with(DISK).agentConditions().add(MEM));
        assertThrows(UnsupportedOperationException.class, () -> with(READY).agentConditions().add(MEM));
    }
}
