package dev.cara.sdk;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an agent says in a heartbeat. Every part is optional: an empty report only refreshes the
 * heartbeat. A part that is present replaces what it names, whole; only {@code network} merges field
 * by field (DESIGN.md: "network (field by field), capacity, allocatable, info ... replace what they name").
 * {@code conditions}, when present, is the agent's whole current set of its own condition types;
 * control-plane types in it are ignored.
 *
 * @param state       the agent's claim about itself, or null. It never overrides the state rule.
 * @param network     network facts to merge, or null
 * @param capacity    replaces the capacity when non-null
 * @param allocatable replaces the allocatable resources when non-null
 * @param info        replaces the host facts when non-null
 * @param conditions  the agent's conditions, or null to keep the previous ones; each type at most once
 */
public record HeartbeatReport(NodeState state, NetworkStatus network, ResourceList capacity,
                              ResourceList allocatable, NodeInfo info, List<Condition> conditions) {

    public static final HeartbeatReport EMPTY = new HeartbeatReport(null, null, null, null, null, null);

    /**
     * @throws InvalidException if a condition type appears twice, naming {@code conditions[i].type}: the
     *                          set replaces the agent's earlier one, and one type twice would leave the
     *                          node two contradicting answers to, say, "is there memory pressure?"
     */
    public HeartbeatReport {
        conditions = conditions == null ? null : List.copyOf(conditions);
        if (conditions != null) {
            requireUniqueTypes(conditions);
        }
    }

    public static HeartbeatReport claiming(NodeState state) {
        return new HeartbeatReport(state, null, null, null, null, null);
    }

    private static void requireUniqueTypes(List<Condition> conditions) {
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < conditions.size(); i++) {
            String type = conditions.get(i).type();
            Integer earlier = first.putIfAbsent(type, i);
            if (earlier != null) {
                throw new InvalidException("conditions[" + i + "].type", type,
                        "unique: each type may appear once, and this one is already conditions[" + earlier + "]");
            }
        }
    }
}
