package dev.cara.sdk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The events a node's state changes make: pure functions from a {@link StateTransition} (and the two
 * facts a transition cannot tell, a re-registration and the start of a flap hold) to {@link Event}s.
 * See {@link EventReason} for the catalogue.
 */
public final class NodeEvents {
    private NodeEvents() {
    }

    /**
     * The events for one transition, in the order they happened: none for a transition that changes
     * nothing, two when a node leaves Draining for NotReady (schedulable again, and NotReady).
     */
    public static List<Event> forTransition(StateTransition t) {
        Objects.requireNonNull(t, "transition");
        List<Event> out = new ArrayList<>(2);
        if (t.from() == null && t.to() == null || t.from() == t.to()) {
            return out;
        }
        if (t.to() == null) {
            out.add(event(t, EventType.NORMAL, EventReason.DELETED, "node deleted (it was " + t.from() + ")"));
            return out;
        }
        if (t.from() == null) {
            out.add(event(t, EventType.NORMAL, EventReason.REGISTERED, switch (t.to()) {
                case DRAINING -> "node registered, Draining: spec.unschedulable is true, so no work is placed here";
                case READY -> "node registered, Ready";
                case NOT_READY -> "node registered, NotReady until its first heartbeat";
            }));
            return out;
        }
        if (t.from() == NodeState.DRAINING) {
            out.add(event(t, EventType.NORMAL, EventReason.SCHEDULABLE, t.to() == NodeState.READY
                    ? "node is schedulable again, and Ready"
                    : "node is schedulable again, but NotReady: no work is placed until it is Ready"));
        }
        switch (t.to()) {
            case READY -> {
                if (t.from() != NodeState.DRAINING) {
                    out.add(event(t, EventType.NORMAL, EventReason.READY, "node is Ready"));
                }
            }
            case NOT_READY -> out.add(FlapDamper.FLAPPING.equals(t.reason())
                    ? event(t, EventType.WARNING, EventReason.FLAPPING, "node is held NotReady: it is flapping")
                    : event(t, EventType.WARNING, EventReason.NOT_READY, "node is NotReady: " + notReadyCause(t.reason())));
            case DRAINING -> out.add(event(t, EventType.NORMAL, EventReason.DRAINING,
                    "node is Draining: no new work is placed here; work on it keeps running"));
        }
        return out;
    }

    /** A node registered again under a name it had before (an agent's restart with a new identity). */
    public static Event reregistered(String node, Instant at) {
        return Event.builder().normal().reason(EventReason.REREGISTERED).node(node).at(at)
                .message("node registered again; its earlier registration is replaced").build();
    }

    /**
     * Flap damping began to hold {@code node}: its {@link FlapDamper#FLAPPING} condition's message
     * says how many flaps in what window, and until when.
     */
    public static Event flapping(String node, Condition flapping, Instant at) {
        Objects.requireNonNull(flapping, "flapping");
        String why = flapping.message() != null ? flapping.message() : "it went NotReady -> Ready too often";
        return Event.builder().warning().reason(EventReason.FLAPPING).node(node).at(at)
                .message(Event.fitMessage("node is flapping: " + why)).build();
    }

    /**
     * Flap damping let {@code node} go: it went the hold-off without being NotReady, so it may be Ready
     * (and take work) again.
     */
    public static Event flappingEnded(String node, Instant at) {
        return Event.builder().normal().reason(EventReason.FLAPPING_ENDED).node(node).at(at)
                .message("node is no longer held NotReady: it was stable for the flap damping hold-off").build();
    }

    /** Why a node is NotReady, from its Ready condition's reason, in words with the reason after them. */
    static String notReadyCause(String reason) {
        if (reason == null) {
            return "no reason given";
        }
        return switch (reason) {
            case StateRule.REASON_HEARTBEAT_TIMEOUT -> "no heartbeat within the heartbeat timeout (" + reason + ")";
            case StateRule.REASON_AWAITING_HEARTBEAT -> "no heartbeat received since registration (" + reason + ")";
            case AgentClaim.AGENT_SHUTDOWN -> "the agent shut down (" + reason + ")";
            case StateRule.REASON_AGENT_NOT_READY -> "the agent reports itself NotReady (" + reason + ")";
            default -> Condition.CRITICAL_TYPES.contains(reason)
                    ? "critical condition " + reason + " is True"
                    : "the agent reports " + reason;
        };
    }

    private static Event event(StateTransition t, EventType type, String reason, String message) {
        return Event.builder().type(type).reason(reason).node(t.name()).at(t.at()).message(message).build();
    }
}
