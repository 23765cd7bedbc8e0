package dev.cara.agent;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.HeartbeatReport;
import dev.cara.sdk.NetworkStatus;
import dev.cara.sdk.NodeInfo;
import dev.cara.sdk.Quantity;
import dev.cara.sdk.ResourceList;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns host facts into what a heartbeat reports: capacity, allocatable (capacity minus the system
 * reservation, never below zero), info, network, and the pressure conditions the agent can judge on
 * its own. It never sets a state: the claims ({@code Ready} at start, {@code NotReady} on a planned
 * stop) are the loop's, and the control plane decides the state.
 *
 * <p>Pure and immutable, so the real agent and the simulator's hollow agents share it.
 */
public final class HostReports {
    private final ResourceList systemReserved;
    private final PressureThreshold memoryPressure;
    private final PressureThreshold diskPressure;
    private final String agentVersion;
    private final Integer agentPort;

    /**
     * @param agentPort the health endpoint's port to report, or null to report none
     */
    public HostReports(ResourceList systemReserved, PressureThreshold memoryPressure, PressureThreshold diskPressure,
                       String agentVersion, Integer agentPort) {
        this.systemReserved = Objects.requireNonNull(systemReserved, "systemReserved");
        this.memoryPressure = Objects.requireNonNull(memoryPressure, "memoryPressure");
        this.diskPressure = Objects.requireNonNull(diskPressure, "diskPressure");
        this.agentVersion = agentVersion;
        this.agentPort = agentPort;
    }

    public HeartbeatReport report(HostFacts facts) {
        ResourceList capacity = capacity(facts);
        return new HeartbeatReport(null,
                new NetworkStatus(facts.ip().orElse(null), null, null, agentPort),
                capacity,
                allocatable(capacity),
                new NodeInfo(facts.kernelVersion(), facts.osImage(), agentVersion),
                conditions(facts));
    }

    static ResourceList capacity(HostFacts facts) {
        Map<String, Quantity> amounts = new TreeMap<>();
        if (facts.logicalCpus() > 0) {
            amounts.put(ResourceList.CPU, Quantity.of(facts.logicalCpus()));
        }
        if (facts.memoryTotalBytes() > 0) {
            amounts.put(ResourceList.MEMORY, Quantity.ofBytes(facts.memoryTotalBytes()));
        }
        if (facts.diskTotalBytes() > 0) {
            amounts.put(ResourceList.EPHEMERAL_STORAGE, Quantity.ofBytes(facts.diskTotalBytes()));
        }
        return ResourceList.of(amounts);
    }

    /** Capacity minus the reservation, resource by resource, floored at zero; reserved resources the host lacks are ignored. */
    ResourceList allocatable(ResourceList capacity) {
        Map<String, Quantity> amounts = new TreeMap<>();
        capacity.amounts().forEach((name, total) -> {
            Quantity left = total.subtract(systemReserved.amount(name));
            amounts.put(name, left.isNegative() ? Quantity.ZERO : left);
        });
        return ResourceList.of(amounts);
    }

    List<Condition> conditions(HostFacts facts) {
        boolean memory = memoryPressure.underPressure(facts.memoryAvailableBytes(), facts.memoryTotalBytes());
        boolean disk = diskPressure.underPressure(facts.diskAvailableBytes(), facts.diskTotalBytes());
        return List.of(
                pressure(Condition.MEMORY_PRESSURE, memory, "memory", memoryPressure,
                        facts.memoryAvailableBytes(), facts.memoryTotalBytes()),
                pressure(Condition.DISK_PRESSURE, disk, "disk space", diskPressure,
                        facts.diskAvailableBytes(), facts.diskTotalBytes()));
    }

    private static Condition pressure(String type, boolean holds, String what, PressureThreshold threshold,
                                      long available, long total) {
        String reason = holds ? "Low" + capitalised(what) : "Sufficient" + capitalised(what);
        String message = human(available) + " of " + human(total) + " " + what
                + " available (pressure below " + threshold + ")";
        return Condition.of(type, ConditionStatus.of(holds), reason, message);
    }

    /** {@code 7.5Gi}: one decimal is plenty for a message, and it reads better than {@code 7864320Ki}. */
    static String human(long bytes) {
        String[] units = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + "B" : String.format(java.util.Locale.ROOT, "%.1f%s", value, units[unit]);
    }

    private static String capitalised(String what) {
        StringBuilder sb = new StringBuilder();
        for (String word : what.split(" ")) {
            sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return sb.toString();
    }
}
