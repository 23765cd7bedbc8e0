package dev.cara.sdk;

/**
 * A node's high-level state, as the control plane computes it. See {@link StateRule} for how.
 * Each constant carries its own behaviour, so callers ask the state instead of comparing it. On the
 * wire: {@code Ready}, {@code NotReady}, {@code Draining} ({@link WireEnum}).
 */
public enum NodeState implements WireEnum {
    /** The agent heartbeats within the timeout and nothing critical is wrong: new work may land here. */
    READY {
        @Override
        public boolean schedulable() {
            return true;
        }

        @Override
        public boolean healthy() {
            return true;
        }
    },
    /** Heartbeats stopped, none came yet, or a critical condition holds. The scheduler skips the node. */
    NOT_READY,
    /**
     * An operator set {@code spec.unschedulable} (or the agent reported itself draining). Work already
     * on the node keeps running; no new work is placed. Only clearing the flag leaves this state.
     */
    DRAINING;

    private static final String VALID = WireNames.list(NodeState.class, ", ");

    /**
     * Whether the scheduler may place new work on a node in this state. No, unless the state says
     * otherwise: a state added later is safe until it decides.
     */
    public boolean schedulable() {
        return false;
    }

    /** Whether the state says the node is up and accepting work (only {@link #READY}). */
    public boolean healthy() {
        return false;
    }

    @Override
    public String toString() {
        return wireName();
    }

    /**
     * The state spelled exactly as on the wire. Matching is case-sensitive on purpose: {@code ready}
     * is a client bug worth reporting, not a value to guess at.
     *
     * @param field the field the text came from, named in the error
     * @throws InvalidException naming the bad value and the valid ones
     */
    public static NodeState fromWire(String field, String text) {
        return WireNames.parse(NodeState.class, field, text, "one of " + VALID);
    }
}
