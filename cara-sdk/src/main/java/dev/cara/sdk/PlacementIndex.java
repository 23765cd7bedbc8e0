package dev.cara.sdk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An index over a {@link SchedulingSnapshot.Usage} that finds the node {@link Scheduler#place} would
 * pick without scanning every node: the same answer (the highest score, ties to the smallest name),
 * in a few steps when the best node is among the freest.
 *
 * <p>How: healthy nodes are grouped by their allocatable amounts (a fleet has few machine shapes).
 * Within a group each node has a key, its largest free fraction over all resources, and members are
 * ordered by key (then name). A node's score for any request is at most the score of a node of the
 * same shape whose every resource is free to that fraction (the score only grows with free amounts),
 * which is a function of the key alone: the scan of a group stops at the first node whose bound is
 * below the best score found, and skips the rest of a run of equal keys once a node with a larger
 * name than the best could at most tie it. A request no node can take still looks at every node, as
 * the plain scan does.
 *
 * <p>Not thread-safe: it belongs to its usage, which one scheduling pass owns; {@link #moved} keeps
 * it current as the pass adds reservations.
 */
final class PlacementIndex {
    private final SchedulingSnapshot snapshot;
    private final String[] resources;
    private final Map<String, Integer> resourceIndex = new HashMap<>();
    private final long[][] alloc;
    private final long[][] used;
    private final double[] key; // one slot past the nodes: the sentinel that ends a run of equal keys
    private final int[] groupOf;
    private final int[] rank; // each node's place in name order: ints compare faster than names
    private final List<Group> groups = new ArrayList<>();
    private final int sentinel;

    private final class Group {
        final long[] cap;
        final TreeSet<Integer> members = new TreeSet<>(PlacementIndex.this::compare);

        Group(long[] cap) {
            this.cap = cap;
        }
    }

    PlacementIndex(SchedulingSnapshot snapshot, SchedulingSnapshot.Usage usage) {
        this.snapshot = snapshot;
        Node[] nodes = snapshot.nodes;
        TreeSet<String> names = new TreeSet<>();
        for (Node n : nodes) {
            names.addAll(n.status().allocatable().amounts().keySet());
        }
        resources = names.toArray(String[]::new);
        alloc = new long[resources.length][];
        used = new long[resources.length][];
        for (int r = 0; r < resources.length; r++) {
            resourceIndex.put(resources[r], r);
            alloc[r] = snapshot.allocatable(resources[r]);
            used[r] = usage.column(resources[r]);
        }
        sentinel = nodes.length;
        rank = nameRanks(nodes);
        key = new double[nodes.length + 1];
        groupOf = new int[nodes.length];
        Map<List<Long>, Integer> byShape = new HashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            groupOf[i] = -1;
            if (!snapshot.healthy[i]) {
                continue;
            }
            long[] cap = new long[resources.length];
            Long[] boxed = new Long[resources.length];
            for (int r = 0; r < resources.length; r++) {
                cap[r] = alloc[r][i];
                boxed[r] = cap[r];
            }
            int g = byShape.computeIfAbsent(Arrays.asList(boxed), s -> {
                groups.add(new Group(cap));
                return groups.size() - 1;
            });
            groupOf[i] = g;
            key[i] = keyOf(i, groups.get(g).cap);
            groups.get(g).members.add(i);
        }
    }

    private static int[] nameRanks(Node[] nodes) {
        int[] rank = new int[nodes.length];
        boolean sorted = true;
        for (int i = 1; i < nodes.length && sorted; i++) {
            sorted = nodes[i - 1].name().compareTo(nodes[i].name()) < 0;
        }
        if (sorted) { // a store lists nodes by name
            Arrays.setAll(rank, i -> i);
            return rank;
        }
        Integer[] order = new Integer[nodes.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> nodes[a].name().compareTo(nodes[b].name()));
        for (int j = 0; j < order.length; j++) {
            rank[order[j]] = j;
        }
        return rank;
    }

    /** Reservations on the node at {@code i} changed (after the usage columns were updated). */
    void moved(int i) {
        int g = groupOf[i];
        if (g < 0) {
            return;
        }
        Group group = groups.get(g);
        group.members.remove(i); // found under its old key, which the comparator still reads
        key[i] = keyOf(i, group.cap);
        group.members.add(i);
    }

    /** What {@link Scheduler#place(SchedulingSnapshot, SchedulingRequest, SchedulingSnapshot.Usage)} answers. */
    Optional<Placement> place(SchedulingRequest request, List<NodePredicate> extra, SchedulingSnapshot.Usage usage) {
        Map<String, Quantity> wanted = request.resources().amounts();
        if (wanted.isEmpty()) {
            wanted = Map.of(ResourceList.CPU, Quantity.ZERO, ResourceList.MEMORY, Quantity.ZERO);
        }
        int n = wanted.size();
        int[] res = new int[n]; // index into resources, or -1 when no node has the resource
        long[] want = new long[n];
        boolean[] required = new boolean[n];
        int k = 0;
        for (Map.Entry<String, Quantity> e : wanted.entrySet()) {
            res[k] = resourceIndex.getOrDefault(e.getKey(), -1);
            want[k] = e.getValue().milliValue();
            required[k] = request.resources().amounts().containsKey(e.getKey());
            k++;
        }
        BitSet selected = request.selector().selectsEverything() ? null : snapshot.selected(request.selector());
        Node[] nodes = snapshot.nodes;
        int best = -1;
        long bestScore = -1;
        groups:
        for (Group g : groups) {
            for (int r = 0; r < n; r++) {
                if (required[r] && want[r] > 0 && (res[r] < 0 || g.cap[res[r]] <= 0)) {
                    continue groups; // no node of this shape has any of it
                }
            }
            Integer i = g.members.isEmpty() ? null : g.members.first();
            while (i != null) {
                long bound = bound(g.cap, key[i], res, want, n);
                if (bound < bestScore) {
                    break;
                }
                if (bound == bestScore && rank[i] > rank[best]) {
                    key[sentinel] = key[i]; // at most a tie that loses on the name: skip to a smaller key
                    i = g.members.higher(sentinel);
                    continue;
                }
                long score = score(i, res, want, required, n);
                if (score >= 0 && (selected == null || selected.get(i))
                        && (score > bestScore || (score == bestScore && rank[i] < rank[best]))
                        && passes(extra, nodes[i], request, usage.of(i))) {
                    best = i;
                    bestScore = score;
                }
                i = g.members.higher(i);
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(new Placement(nodes[best], bestScore));
    }

    private static boolean passes(List<NodePredicate> extra, Node node, SchedulingRequest request, ResourceList usage) {
        for (NodePredicate p : extra) {
            if (!p.test(node, request, usage)) {
                return false;
            }
        }
        return true;
    }

    /** The node's score as {@link Scheduler#place} computes it, or -1 when it cannot take the request. */
    private long score(int i, int[] res, long[] want, boolean[] required, int n) {
        long total = 0;
        int counted = 0;
        for (int r = 0; r < n; r++) {
            long capacity = res[r] < 0 ? 0 : alloc[res[r]][i];
            long free = Scheduler.saturatingSubtract(capacity, res[r] < 0 ? 0 : used[res[r]][i]);
            if (required[r] && free < want[r]) {
                return -1;
            }
            if (capacity > 0) {
                total += Scheduler.component(free, want[r], capacity);
                counted++;
            }
        }
        return counted == 0 ? 0 : total / counted;
    }

    /** The score of a node of this shape with every resource free to fraction {@code k}: at least any member's. */
    private static long bound(long[] cap, double k, int[] res, long[] want, int n) {
        long total = 0;
        int counted = 0;
        for (int r = 0; r < n; r++) {
            long capacity = res[r] < 0 ? 0 : cap[res[r]];
            if (capacity > 0) {
                // Rounded up, with a margin for the double's rounding of huge amounts, and capped: at or
                // above every member's free amount with this key, and exactly the capacity at key 1.
                long free = Math.min(capacity, (long) Math.ceil(k * capacity) + 1 + (long) (capacity * 1e-15));
                total += Scheduler.component(free, want[r], capacity);
                counted++;
            }
        }
        return counted == 0 ? 0 : total / counted;
    }

    private double keyOf(int i, long[] cap) {
        double k = 0;
        for (int r = 0; r < resources.length; r++) {
            if (cap[r] > 0) {
                k = Math.max(k, (double) Scheduler.saturatingSubtract(cap[r], used[r][i]) / cap[r]);
            }
        }
        return k;
    }

    // Larger keys first, then names; the sentinel sorts after every node of its key.
    private int compare(Integer a, Integer b) {
        int byKey = Double.compare(key[b], key[a]);
        if (byKey != 0) {
            return byKey;
        }
        if (a == sentinel || b == sentinel) {
            return a == sentinel ? (b == sentinel ? 0 : 1) : -1;
        }
        return Integer.compare(rank[a], rank[b]);
    }
}
