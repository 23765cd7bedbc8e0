package dev.cara.sdk;

/**
 * One test a node must pass to receive new work. The {@link Scheduler} runs a chain of them.
 */
public interface NodePredicate {
    /** A short name, for explanations: {@code Ready}, {@code NoPressure}, {@code Selector}, {@code Fits}. */
    String name();

    /**
     * Whether the node may take the request.
     *
     * @param assigned what is already assigned to this node (never null; empty when nothing)
     */
    boolean test(Node node, SchedulingRequest request, ResourceList assigned);

    /** Only nodes whose state is schedulable: Ready, so neither NotReady nor Draining. */
    NodePredicate READY = new NamedPredicate("Ready", (node, request, assigned) -> node.state().schedulable());

    /** No {@code *Pressure} condition holds. */
    NodePredicate NO_PRESSURE = new NamedPredicate("NoPressure", (node, request, assigned) -> noPressure(node));

    /** The request's label selector matches the node. */
    NodePredicate SELECTOR = new NamedPredicate("Selector", (node, request, assigned) -> request.selector().matches(node));

    /** Every requested resource fits into allocatable minus what is already assigned. */
    NodePredicate FITS = new NamedPredicate("Fits", NodePredicate::fits);

    private static boolean noPressure(Node node) {
        for (Condition c : node.status().conditions()) {
            if (c.pressure()) {
                return false;
            }
        }
        return true;
    }

    private static boolean fits(Node node, SchedulingRequest request, ResourceList assigned) {
        ResourceList allocatable = node.status().allocatable();
        for (var e : request.resources().amounts().entrySet()) {
            long free = saturatingSubtract(allocatable.amount(e.getKey()).milliValue(),
                    assigned.amount(e.getKey()).milliValue());
            if (free < e.getValue().milliValue()) {
                return false;
            }
        }
        return true;
    }

    private static long saturatingSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }
}
