package dev.cara.sdk;

import java.time.Instant;
import java.util.Objects;

/**
 * One observable fact about a node, Kubernetes style: {@code MemoryPressure=True}.
 *
 * <p>The control plane owns the types in {@link #CONTROL_PLANE_TYPES}; an agent reports any
 * other type. {@code lastTransitionTime} moves only when {@code status} changes.
 *
 * @param type               the condition type, for example {@code Ready} or {@code DiskPressure}
 * @param status             whether it holds
 * @param reason             a one-word, CamelCase reason, or {@code null}
 * @param message            a human-readable sentence, or {@code null}
 * @param lastHeartbeatTime  when it was last reported or evaluated, or {@code null}
 * @param lastTransitionTime when {@code status} last changed, or {@code null}
 */
public record Condition(String type, ConditionStatus status, String reason, String message,
                        Instant lastHeartbeatTime, Instant lastTransitionTime) {

    public static final String READY = "Ready";
    public static final String NO_HEARTBEAT = "NoHeartbeat";
    public static final String UNSCHEDULABLE = "Unschedulable";
    public static final String MEMORY_PRESSURE = "MemoryPressure";
    public static final String DISK_PRESSURE = "DiskPressure";
    public static final String PID_PRESSURE = "PIDPressure";
    public static final String NETWORK_UNAVAILABLE = "NetworkUnavailable";

    /** The types only the control plane writes; a heartbeat can never set them ({@code Flapping} is flap damping's). */
    public static final java.util.Set<String> CONTROL_PLANE_TYPES = java.util.Set.of(READY, NO_HEARTBEAT, UNSCHEDULABLE,
            FlapDamper.FLAPPING);

    /** Agent-reported types that, when True, make a node NotReady. */
    public static final java.util.Set<String> CRITICAL_TYPES = java.util.Set.of(NETWORK_UNAVAILABLE);

    public Condition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        reason = blankToNull(reason);
        message = blankToNull(message);
    }

    public static Condition of(String type, ConditionStatus status, String reason, String message) {
        return new Condition(type, status, reason, message, null, null);
    }

    /** True for any condition other than {@code Ready} whose status is True: something is wrong. */
    public boolean adverse() {
        return !READY.equals(type) && status == ConditionStatus.TRUE;
    }

    /** True for a {@code *Pressure} condition that holds: the scheduler avoids such a node. */
    public boolean pressure() {
        return type.endsWith("Pressure") && status == ConditionStatus.TRUE;
    }

    /** True for a condition that holds and, by {@link #CRITICAL_TYPES}, makes a node NotReady. */
    public boolean critical() {
        return CRITICAL_TYPES.contains(type) && status == ConditionStatus.TRUE;
    }

    public boolean ownedByControlPlane() {
        return CONTROL_PLANE_TYPES.contains(type);
    }

    public Condition withTimes(Instant heartbeat, Instant transition) {
        return new Condition(type, status, reason, message, heartbeat, transition);
    }

    static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
