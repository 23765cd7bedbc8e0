package dev.cara.sdk;

/**
 * What an operator wants of a node.
 *
 * @param hostname      the machine's host name, or {@code null}
 * @param unschedulable true to drain the node: no new work, existing work untouched
 */
public record NodeSpec(String hostname, boolean unschedulable) {
    public static final NodeSpec EMPTY = new NodeSpec(null, false);

    public NodeSpec {
        hostname = Condition.blankToNull(hostname);
    }

    public NodeSpec withUnschedulable(boolean value) {
        return new NodeSpec(hostname, value);
    }
}
