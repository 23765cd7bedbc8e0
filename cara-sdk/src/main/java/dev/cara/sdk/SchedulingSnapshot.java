package dev.cara.sdk;

import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scheduling view of a set of nodes, built once and used for many decisions: the nodes the
 * standard health predicates accept (Ready, no pressure), their allocatable amounts as columns of
 * milli-units, and the nodes each label selector matches (computed on first use, then kept).
 *
 * <p>Why: a decision over 100,000 nodes has to be a tight loop over arrays. Following pointers
 * from each {@link Node} to its status, its resource map and its quantities costs tens of
 * milliseconds per decision; reading columns costs well under one. Build a new snapshot when the
 * nodes change (a scheduler typically does so once per scheduling cycle) and a {@link Usage} per
 * cycle for what is already assigned.
 *
 * <p>Immutable after construction, apart from caches that fill on demand; safe to share between
 * threads.
 */
public final class SchedulingSnapshot {
    final Node[] nodes;
    final boolean[] healthy;
    private final Map<String, Integer> index;
    private final ConcurrentHashMap<String, long[]> allocatable = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<LabelSelector, BitSet> selections = new ConcurrentHashMap<>();

    private SchedulingSnapshot(Collection<Node> source) {
        this.nodes = source.toArray(Node[]::new);
        this.healthy = new boolean[nodes.length];
        this.index = new HashMap<>(nodes.length * 2);
        for (int i = 0; i < nodes.length; i++) {
            Node n = nodes[i];
            healthy[i] = NodePredicate.READY.test(n, null, ResourceList.EMPTY)
                    && NodePredicate.NO_PRESSURE.test(n, null, ResourceList.EMPTY);
            index.put(n.name(), i);
        }
    }

    /** A snapshot of these nodes, in their order. */
    public static SchedulingSnapshot of(Collection<Node> nodes) {
        return new SchedulingSnapshot(nodes);
    }

    public int size() {
        return nodes.length;
    }

    public List<Node> nodes() {
        return List.of(nodes);
    }

    /** A fresh record of assigned usage for this snapshot, starting from {@code assigned}. */
    public Usage usage(Map<String, ResourceList> assigned) {
        return new Usage(this, assigned);
    }

    int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** Each node's allocatable amount of {@code resource}, in milli-units. */
    long[] allocatable(String resource) {
        return allocatable.computeIfAbsent(resource, r -> {
            long[] column = new long[nodes.length];
            for (int i = 0; i < nodes.length; i++) {
                column[i] = nodes[i].status().allocatable().amount(r).milliValue();
            }
            return column;
        });
    }

    /** The nodes the selector matches. Shared: callers must not modify it. */
    BitSet selected(LabelSelector selector) {
        return selections.computeIfAbsent(selector, s -> {
            BitSet bits = new BitSet(nodes.length);
            for (int i = 0; i < nodes.length; i++) {
                if (s.matches(nodes[i])) {
                    bits.set(i);
                }
            }
            return bits;
        });
    }

    /**
     * What is already assigned to each node of a snapshot, as columns of milli-units. A scheduling
     * loop records each placement with {@link #add} so that the next decision sees it.
     *
     * <p>Not thread-safe: one scheduling loop owns it.
     */
    public static final class Usage {
        private final SchedulingSnapshot snapshot;
        private final Map<String, ResourceList> assigned;
        private final Map<String, long[]> used = new HashMap<>();
        private PlacementIndex index; // built on first indexed placement

        private Usage(SchedulingSnapshot snapshot, Map<String, ResourceList> assigned) {
            this.snapshot = snapshot;
            this.assigned = new HashMap<>(assigned);
        }

        /** Records that {@code resources} were just assigned to the named node. */
        public void add(String node, ResourceList resources) {
            assigned.merge(node, resources, ResourceList::plus);
            int i = snapshot.indexOf(node);
            if (i < 0) {
                return;
            }
            for (Map.Entry<String, Quantity> e : resources.amounts().entrySet()) {
                long[] column = used.get(e.getKey());
                if (column != null) {
                    column[i] += e.getValue().milliValue();
                }
            }
            if (index != null) {
                index.moved(i);
            }
        }

        PlacementIndex index() {
            if (index == null) {
                index = new PlacementIndex(snapshot, this);
            }
            return index;
        }

        /** What is assigned to the node at {@code i}, as a resource list (for custom predicates). */
        ResourceList of(int i) {
            ResourceList r = assigned.get(snapshot.nodes[i].name());
            return r == null ? ResourceList.EMPTY : r;
        }

        long[] column(String resource) {
            return used.computeIfAbsent(resource, r -> {
                long[] column = new long[snapshot.nodes.length];
                for (Map.Entry<String, ResourceList> e : assigned.entrySet()) {
                    int i = snapshot.indexOf(e.getKey());
                    if (i >= 0) {
                        column[i] = e.getValue().amount(r).milliValue();
                    }
                }
                return column;
            });
        }
    }
}
