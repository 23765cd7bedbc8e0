package dev.cara.sdk;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The best feasible node of a prepared snapshot, or empty when none can take the request. This is
     * the fast path for a scheduling loop: the standard predicates and the score read the snapshot's
     * columns; extra predicates run only on nodes that pass the standard ones.
     */
    public Optional<Placement> place(SchedulingSnapshot snapshot, SchedulingRequest request, SchedulingSnapshot.Usage usage) {
        Map<String, Quantity> wanted = request.resources().amounts();
        if (wanted.isEmpty()) {
            wanted = Map.of(ResourceList.CPU, Quantity.ZERO, ResourceList.MEMORY, Quantity.ZERO);
        }
        int resources = wanted.size();
        long[][] alloc = new long[resources][];
        long[][] used = new long[resources][];
        long[] want = new long[resources];
        boolean[] required = new boolean[resources];
        int k = 0;
        for (Map.Entry<String, Quantity> e : wanted.entrySet()) {
            alloc[k] = snapshot.allocatable(e.getKey());
            used[k] = usage.column(e.getKey());
            want[k] = e.getValue().milliValue();
            required[k] = request.resources().amounts().containsKey(e.getKey());
            k++;
        }
        BitSet selected = request.selector().selectsEverything() ? null : snapshot.selected(request.selector());
        List<NodePredicate> extra = predicates.subList(STANDARD.predicates.size(), predicates.size());
        Node[] nodes = snapshot.nodes;
        boolean[] healthy = snapshot.healthy;
        int best = -1;
        long bestScore = -1;
        nodes:
        for (int i = 0; i < nodes.length; i++) {
            if (!healthy[i] || (selected != null && !selected.get(i))) {
                continue;
            }
            long total = 0;
            int counted = 0;
            for (int r = 0; r < resources; r++) {
                long capacity = alloc[r][i];
                long free = saturatingSubtract(capacity, used[r][i]);
                if (required[r] && free < want[r]) {
                    continue nodes;
                }
                if (capacity > 0) {
                    total += component(free, want[r], capacity);
                    counted++;
                }
            }
            long score = counted == 0 ? 0 : total / counted;
            if (score < bestScore || (score == bestScore && nodes[i].name().compareTo(nodes[best].name()) > 0)) {
                continue;
            }
            for (NodePredicate p : extra) {
                if (!p.test(nodes[i], request, usage.of(i))) {
                    continue nodes;
                }
            }
            best = i;
            bestScore = score;
        }
        return best < 0 ? Optional.empty() : Optional.of(new Placement(nodes[best], bestScore));
    }

    /** One resource's part of the score: the fraction of it left free after placing, 0 to 1000. */
    static long component(long free, long want, long capacity) {
        return Math.max(0, Math.min(1000, (long) ((double) (free - want) / capacity * 1000)));
    }

    /**
     * {@link #place(SchedulingSnapshot, SchedulingRequest, SchedulingSnapshot.Usage)}'s answer through
     * the usage's {@link PlacementIndex} (built on first use): the same node, without scanning every
     * node when the best one is among the freest. For a scheduling pass that makes many decisions on
     * one usage; the index follows {@link SchedulingSnapshot.Usage#add}.
     */
    public Optional<Placement> placeIndexed(SchedulingSnapshot snapshot, SchedulingRequest request, SchedulingSnapshot.Usage usage) {
        return usage.index().place(request, predicates.subList(STANDARD.predicates.size(), predicates.size()), usage);
    }

    static long saturatingSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    /**
     * The best feasible node, or empty when none can take the request. A one-off decision over a
     * collection: it walks every node's objects. A loop that decides many times should build a
     * {@link SchedulingSnapshot} once and call {@link #place(SchedulingSnapshot, SchedulingRequest,
     * SchedulingSnapshot.Usage)}; both give the same answer.
     */
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

    /**
     * For each node that cannot take the request, why, in the words of an unschedulable project's
     * message: the node's state for {@link NodePredicate#READY} ({@code NotReady}, {@code Draining}),
     * the pressure condition's type ({@code MemoryPressure}), {@code not matching nodeSelector}, or
     * {@code insufficient memory} naming the first requested resource that does not fit; an extra
     * predicate's {@linkplain NodePredicate#name() name}. One reason per node: its first failing predicate.
     */
    public Map<String, String> reasons(Collection<Node> snapshot, SchedulingRequest request, Map<String, ResourceList> assigned) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Node n : snapshot) {
            String why = reason(n, request, assignedTo(assigned, n));
            if (why != null) {
                reasons.put(n.name(), why);
            }
        }
        return reasons;
    }

    /** {@link #reasons(Collection, SchedulingRequest, Map)} over a prepared snapshot and its usage. */
    public Map<String, String> reasons(SchedulingSnapshot snapshot, SchedulingRequest request, SchedulingSnapshot.Usage usage) {
        Map<String, String> reasons = new LinkedHashMap<>();
        Node[] nodes = snapshot.nodes;
        for (int i = 0; i < nodes.length; i++) {
            String why = reason(nodes[i], request, usage.of(i));
            if (why != null) {
                reasons.put(nodes[i].name(), why);
            }
        }
        return reasons;
    }

    /**
     * The sentence that says why no node of {@code total} could take a request, counting the
     * {@linkplain #reasons reasons}, most frequent first, ties by name:
     * {@code 0/5 nodes available: 3 NotReady, 1 Draining, 1 insufficient memory}.
     */
    public static String unavailable(int total, Map<String, String> reasons) {
        if (total == 0) {
            return "0/0 nodes available: no node is registered";
        }
        Map<String, Integer> counts = new java.util.TreeMap<>();
        reasons.values().forEach(r -> counts.merge(r, 1, Integer::sum));
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        StringBuilder sb = new StringBuilder().append(total - reasons.size()).append('/').append(total)
                .append(total == 1 ? " node available" : " nodes available");
        String sep = ": ";
        for (Map.Entry<String, Integer> e : sorted) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        return sb.toString();
    }

    private String reason(Node n, SchedulingRequest request, ResourceList used) {
        for (NodePredicate p : predicates) {
            if (p.test(n, request, used)) {
                continue;
            }
            if (p == NodePredicate.READY) {
                boolean flapping = n.status().condition(FlapDamper.FLAPPING).map(c -> c.status() == ConditionStatus.TRUE).orElse(false);
                return flapping ? n.state().wireName() + " (" + FlapDamper.FLAPPING + ")" : n.state().wireName();
            }
            if (p == NodePredicate.NO_PRESSURE) {
                return n.status().conditions().stream().filter(Condition::pressure).map(Condition::type)
                        .findFirst().orElse(p.name());
            }
            if (p == NodePredicate.SELECTOR) {
                return "not matching nodeSelector";
            }
            if (p == NodePredicate.FITS) {
                ResourceList allocatable = n.status().allocatable();
                for (var e : request.resources().amounts().entrySet()) {
                    long free = saturatingSubtract(allocatable.amount(e.getKey()).milliValue(), used.amount(e.getKey()).milliValue());
                    if (free < e.getValue().milliValue()) {
                        return "insufficient " + e.getKey();
                    }
                }
            }
            return p.name();
        }
        return null;
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

}
