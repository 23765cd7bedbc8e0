package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HeartbeatReportTest {
    private static final Instant AT = Instant.parse("2026-01-02T15:04:05Z");

    private static Condition condition(String type, ConditionStatus status) {
        return new Condition(type, status, null, null, AT, AT);
    }

    @Test
    void refusesAConditionTypeNamedTwiceAndSaysWhereItFirstWas() {
        List<Condition> conditions = List.of(condition("MemoryPressure", ConditionStatus.FALSE),
                condition("DiskPressure", ConditionStatus.FALSE), condition("MemoryPressure", ConditionStatus.TRUE));
        InvalidException e = assertThrows(InvalidException.class,
                () -> new HeartbeatReport(null, null, null, null, null, conditions));
        assertEquals("conditions[2].type", e.field());
        assertEquals("MemoryPressure", e.value());
        assertEquals("conditions[2].type: \"MemoryPressure\" is invalid: must be unique: each type may appear once, "
                + "and this one is already conditions[0]", e.getMessage());
    }

    @Test
    void keepsDistinctConditionsInOrderAndCopiesTheList() {
        List<Condition> conditions = new ArrayList<>(List.of(condition("DiskPressure", ConditionStatus.FALSE),
                condition("MemoryPressure", ConditionStatus.TRUE)));
        HeartbeatReport report = new HeartbeatReport(NodeState.READY, null, null, null, null, conditions);
        conditions.clear();
        assertEquals(List.of("DiskPressure", "MemoryPressure"), report.conditions().stream().map(Condition::type).toList());
    }

    @Test
    void noConditionsMeansKeepThePreviousOnes() {
        assertNull(HeartbeatReport.claiming(NodeState.READY).conditions());
        assertEquals(List.of(), new HeartbeatReport(null, null, null, null, null, List.of()).conditions());
    }
}
