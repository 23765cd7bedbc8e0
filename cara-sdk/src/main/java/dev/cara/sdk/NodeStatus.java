package dev.cara.sdk;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the system observes of a node. Clients never write it directly: the agent reports facts
 * through heartbeats and the control plane computes {@code state} and its own conditions.
 *
 * @param state          the computed state; never null
 * @param network        how to reach the node; never null (possibly {@link NetworkStatus#EMPTY})
 * @param capacity       raw resources of the machine; never null
 * @param allocatable    capacity minus what the system reserves; what the scheduler uses; never null
 * @param info           host and agent facts; never null
 * @param lastHeartbeat  when the control plane last received a heartbeat (its own clock), or null
 * @param conditions     the control plane's conditions, then the agent's, by type; never null
 * @param claim          what the agent last claimed about itself, or null. Kept for the state rule;
 *                       not part of the wire format.
 */
public record NodeStatus(NodeState state, NetworkStatus network, ResourceList capacity,
                         ResourceList allocatable, NodeInfo info, Instant lastHeartbeat,
                         List<Condition> conditions, AgentClaim claim) {

    public static final NodeStatus INITIAL = new NodeStatus(NodeState.NOT_READY, NetworkStatus.EMPTY,
            ResourceList.EMPTY, ResourceList.EMPTY, NodeInfo.EMPTY, null, List.of(), null);

    public NodeStatus {
        Objects.requireNonNull(state, "state");
        network = network == null ? NetworkStatus.EMPTY : network;
        capacity = capacity == null ? ResourceList.EMPTY : capacity;
        allocatable = allocatable == null ? ResourceList.EMPTY : allocatable;
        info = info == null ? NodeInfo.EMPTY : info;
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** The condition of the given type, if present. */
    public Optional<Condition> condition(String type) {
        return Condition.find(conditions, type);
    }

    /** The conditions that say something is wrong: every non-Ready condition whose status is True. */
    public List<Condition> adverseConditions() {
        return conditions.stream().filter(Condition::adverse).toList();
    }

    /** The conditions the agent reported (every type the control plane does not own). */
    public List<Condition> agentConditions() {
        // Every heartbeat's evaluation asks for these: a loop that answers without copying when the
        // node has no agent conditions (the common case) or only those, where a stream built a list each time.
        int agent = 0;
        for (Condition c : conditions) {
            if (!c.ownedByControlPlane()) {
                agent++;
            }
        }
        if (agent == 0) {
            return List.of();
        }
        if (agent == conditions.size()) {
            return conditions; // already an unmodifiable copy (the constructor's)
        }
        Condition[] kept = new Condition[agent];
        int i = 0;
        for (Condition c : conditions) {
            if (!c.ownedByControlPlane()) {
                kept[i++] = c;
            }
        }
        return List.of(kept);
    }

    public NodeStatus withState(NodeState newState) {
        return new NodeStatus(newState, network, capacity, allocatable, info, lastHeartbeat, conditions, claim);
    }

    public NodeStatus withLastHeartbeat(Instant heardAt) {
        return new NodeStatus(state, network, capacity, allocatable, info, heardAt, conditions, claim);
    }

    public NodeStatus withConditions(List<Condition> newConditions) {
        return new NodeStatus(state, network, capacity, allocatable, info, lastHeartbeat, newConditions, claim);
    }
}
