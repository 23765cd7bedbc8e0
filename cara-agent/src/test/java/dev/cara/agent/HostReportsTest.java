package dev.cara.agent;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.InvalidException;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostReportsTest {
    private static final long GI = 1L << 30;
    private final HostReports reports = new HostReports(
            ResourceList.parse(Map.of("cpu", "500m", "memory", "1Gi", "ephemeral-storage", "10Gi", "nvidia.com/gpu", "1")),
            PressureThreshold.percent(10), PressureThreshold.bytes(5 * GI), "0.1.0", 9090);

    private static HostFacts facts(long memoryAvailable, long diskAvailable) {
        return new HostFacts(8, 32 * GI, memoryAvailable, 200 * GI, diskAvailable, "6.8.0-49-generic",
                "Ubuntu 24.04.1 LTS", Optional.of("192.0.2.2"));
    }

    @Test
    void capacityAllocatableInfoAndNetworkComeFromTheFacts() {
        HeartbeatReport r = reports.report(facts(16 * GI, 100 * GI));
        assertNull(r.state(), "reports never claim a state; the loop does");
        assertEquals(Quantity.of(8), r.capacity().amount("cpu"));
        assertEquals(Quantity.parse("32Gi"), r.capacity().amount("memory"));
        assertEquals(Quantity.parse("200Gi"), r.capacity().amount("ephemeral-storage"));
        assertEquals(Quantity.parse("7500m"), r.allocatable().amount("cpu"));
        assertEquals(Quantity.parse("31Gi"), r.allocatable().amount("memory"));
        assertEquals(Quantity.parse("190Gi"), r.allocatable().amount("ephemeral-storage"));
        assertFalse(r.allocatable().get("nvidia.com/gpu").isPresent(), "a reservation of something the host lacks is ignored");
        assertEquals("6.8.0-49-generic", r.info().kernelVersion());
        assertEquals("Ubuntu 24.04.1 LTS", r.info().osImage());
        assertEquals("0.1.0", r.info().agentVersion());
        assertEquals("192.0.2.2", r.network().ip());
        assertEquals(9090, r.network().agentPort());
    }

    @Test
    void allocatableNeverGoesNegative() {
        HostReports greedy = new HostReports(ResourceList.parse(Map.of("cpu", "64", "memory", "1Ti")),
                PressureThreshold.percent(5), PressureThreshold.percent(10), "v", null);
        HeartbeatReport r = greedy.report(facts(GI, GI));
        assertEquals(Quantity.ZERO, r.allocatable().amount("cpu"));
        assertEquals(Quantity.ZERO, r.allocatable().amount("memory"));
        assertNull(r.network().agentPort());
    }

    @Test
    void pressureConditionsFollowTheThresholds() {
        HeartbeatReport fine = reports.report(facts(16 * GI, 100 * GI));
        assertEquals(ConditionStatus.FALSE, condition(fine, Condition.MEMORY_PRESSURE).status());
        assertEquals("SufficientMemory", condition(fine, Condition.MEMORY_PRESSURE).reason());
        assertEquals(ConditionStatus.FALSE, condition(fine, Condition.DISK_PRESSURE).status());

        HeartbeatReport tight = reports.report(facts(3 * GI, 4 * GI)); // 3 of 32 Gi < 10%; 4 Gi < 5 Gi
        Condition memory = condition(tight, Condition.MEMORY_PRESSURE);
        assertEquals(ConditionStatus.TRUE, memory.status());
        assertEquals("LowMemory", memory.reason());
        assertEquals("3.0Gi of 32.0Gi memory available (pressure below 10%)", memory.message());
        assertEquals(ConditionStatus.TRUE, condition(tight, Condition.DISK_PRESSURE).status());
        assertEquals("LowDiskSpace", condition(tight, Condition.DISK_PRESSURE).reason());
        assertTrue(condition(tight, Condition.DISK_PRESSURE).pressure());
    }

    @Test
    void unknownTotalsNeverClaimPressure() {
        HeartbeatReport r = reports.report(new HostFacts(0, 0, 0, 0, 0, null, "x", Optional.empty()));
        assertTrue(r.capacity().isEmpty());
        assertEquals(ConditionStatus.FALSE, condition(r, Condition.MEMORY_PRESSURE).status());
        assertNull(r.network().ip());
    }

    @Test
    void thresholdsParseAsPercentagesOrAmounts() {
        assertEquals(PressureThreshold.percent(7.5), PressureThreshold.parse("K", "7.5%"));
        assertEquals(PressureThreshold.bytes(500L << 20), PressureThreshold.parse("K", "500Mi"));
        assertEquals("10%", PressureThreshold.percent(10).toString());
        assertEquals("500Mi", PressureThreshold.bytes(500L << 20).toString());
        InvalidException e = assertThrows(InvalidException.class, () -> PressureThreshold.parse("DISK_PRESSURE_THRESHOLD", "lots"));
        assertTrue(e.getMessage().startsWith("DISK_PRESSURE_THRESHOLD: \"lots\" is invalid"), e.getMessage());
        assertThrows(InvalidException.class, () -> PressureThreshold.parse("K", "120%"));
        assertThrows(InvalidException.class, () -> PressureThreshold.parse("K", "-1Gi"));
    }

    @Test
    void humanSizesForMessages() {
        assertEquals("512B", HostReports.human(512));
        assertEquals("1.5Ki", HostReports.human(1536));
        assertEquals("7.5Gi", HostReports.human(7L * GI + GI / 2));
    }

    private static Condition condition(HeartbeatReport r, String type) {
        return r.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
    }
}
