package dev.cara.sdk;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks a node for new work: a chain of {@link NodePredicate}s over a snapshot of nodes, then a
 * deterministic score. The standard chain is {@link NodePredicate#READY}, {@link NodePredicate#NO_PRESSURE},
 * {@link NodePredicate#SELECTOR} and {@link NodePredicate#FITS}. The score prefers the node that
 * the request leaves emptiest (the mean free fraction of the requested resources, 0 to 1000);
 * ties go to the smallest name, so the same input always gives the same answer.
 *
 * <p>Immutable and thread-safe. It keeps nothing between calls: the caller passes the snapshot
 * and the usage already assigned to each node.
 */
public final class Scheduler {
    private static final Scheduler STANDARD = new Scheduler(
            List.of(NodePredicate.READY, NodePredicate.NO_PRESSURE, NodePredicate.SELECTOR, NodePredicate.FITS));

    private final List<NodePredicate> predicates;

    private Scheduler(List<NodePredicate> predicates) {
        this.predicates = List.copyOf(predicates);
    }

    public static Scheduler standard() {
        return STANDARD;
    }

    /** A scheduler with the standard chain followed by extra predicates. */
    public static Scheduler withExtraPredicates(List<NodePredicate> extra) {
        List<NodePredicate> all = new ArrayList<>(STANDARD.predicates);
        all.addAll(extra);
        return new Scheduler(all);
    }

    public List<NodePredicate> predicates() {
        return predicates;
    }

    /** The nodes that pass every predicate, in the snapshot's order. */
    public List<Node> feasible(Collection<Node> snapshot, SchedulingRequest request, Map<String, ResourceList> assigned) {
        List<Node> out = new ArrayList<>();
        for (Node n : snapshot) {
            if (passes(n, request, assignedTo(assigned, n))) {
                out.add(n);
            }
        }
        return out;
    }

    /** The best feasible node, or empty when none can take the request. */
    public Optional<Placement> place(Collection<Node> snapshot, SchedulingRequest request, Map<String, ResourceList> assigned) {
        Node best = null;
        long bestScore = -1;
        for (Node n : snapshot) {
            ResourceList used = assignedTo(assigned, n);
            if (!passes(n, request, used)) {
                continue;
            }
            long score = score(n, request, used);
            if (score > bestScore || (score == bestScore && n.name().compareTo(best.name()) < 0)) {
                best = n;
                bestScore = score;
            }
        }
        return best == null ? Optional.empty() : Optional.of(new Placement(best, bestScore));
    }

    /** For each node that cannot take the request, the name of the first predicate it fails. */
    public Map<String, String> explain(Collection<Node> snapshot, SchedulingRequest request, Map<String, ResourceList> assigned) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Node n : snapshot) {
            ResourceList used = assignedTo(assigned, n);
            for (NodePredicate p : predicates) {
                if (!p.test(n, request, used)) {
                    reasons.put(n.name(), p.name());
                    break;
                }
            }
        }
        return reasons;
    }

    private boolean passes(Node n, SchedulingRequest request, ResourceList used) {
        for (int i = 0, size = predicates.size(); i < size; i++) {
            if (!predicates.get(i).test(n, request, used)) {
                return false;
            }
        }
        return true;
    }

    /** Mean over requested resources of the fraction of allocatable left free after placing, times 1000. */
    static long score(Node n, SchedulingRequest request, ResourceList used) {
        Map<String, Quantity> wanted = request.resources().amounts();
        if (wanted.isEmpty()) {
            wanted = Map.of(ResourceList.CPU, Quantity.ZERO, ResourceList.MEMORY, Quantity.ZERO);
        }
        long total = 0;
        int counted = 0;
        ResourceList allocatable = n.status().allocatable();
        for (var e : wanted.entrySet()) {
            long capacity = allocatable.amount(e.getKey()).milliValue();
            if (capacity <= 0) {
                continue;
            }
            long free = capacity - used.amount(e.getKey()).milliValue() - e.getValue().milliValue();
            total += Math.max(0, Math.min(1000, (long) ((double) free / capacity * 1000)));
            counted++;
        }
        return counted == 0 ? 0 : total / counted;
    }

    private static ResourceList assignedTo(Map<String, ResourceList> assigned, Node n) {
        ResourceList used = assigned.get(n.name());
        return used == null ? ResourceList.EMPTY : used;
    }

    @Override
    public String toString() {
        return "Scheduler" + predicates.stream().map(NodePredicate::name).toList();
    }

    static Scheduler of(List<NodePredicate> predicates) {
        return new Scheduler(Objects.requireNonNull(predicates));
    }
}
