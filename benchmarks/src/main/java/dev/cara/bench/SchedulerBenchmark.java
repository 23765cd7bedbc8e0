package dev.cara.bench;

import dev.cara.sdk.Condition;
import dev.cara.sdk.ConditionStatus;
import dev.cara.sdk.LabelSelector;
import dev.cara.sdk.Node;
import dev.cara.sdk.NodeState;
import dev.cara.sdk.NodeStatus;
import dev.cara.sdk.Placement;
import dev.cara.sdk.ResourceList;
import dev.cara.sdk.Scheduler;
import dev.cara.sdk.SchedulingRequest;
import dev.cara.sdk.SchedulingSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler filter and score over 100,000 nodes (goal: under 5 ms per decision), on a prepared
 * {@link SchedulingSnapshot} (a scheduling loop's path), building that snapshot, and one-off over
 * the node objects. The fleet is mixed:
 * most nodes Ready, some NotReady, Draining or under pressure, three zones, varied sizes and usage.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SchedulerBenchmark extends StandardRun {
    @Param({"100000"})
    public int nodes;

    List<Node> snapshot;
    Map<String, ResourceList> assigned;
    SchedulingRequest anywhere;
    SchedulingRequest zoned;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        snapshot = new ArrayList<>(nodes);
        assigned = new HashMap<>();
        String[] sizes = {"4", "8", "16", "32"};
        for (int i = 0; i < nodes; i++) {
            String name = String.format("worker-%06d", i);
            int r = random.nextInt(100);
            NodeState state = r < 90 ? NodeState.READY : r < 95 ? NodeState.NOT_READY : NodeState.DRAINING;
            List<Condition> conditions = new ArrayList<>();
            conditions.add(Condition.of(Condition.READY, ConditionStatus.of(state == NodeState.READY), "x", null));
            conditions.add(Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.of(random.nextInt(50) == 0), null, null));
            String cpu = sizes[random.nextInt(sizes.length)];
            ResourceList allocatable = ResourceList.parse(Map.of("cpu", cpu, "memory", (Integer.parseInt(cpu) * 4) + "Gi"));
            Node n = Node.builder(name).label("zone", "z" + (i % 3)).build()
                    .withStatus(new NodeStatus(state, null, allocatable, allocatable, null, null, conditions, null));
            snapshot.add(n);
            assigned.put(name, ResourceList.parse(Map.of("cpu", random.nextInt(Integer.parseInt(cpu) * 1000) + "m",
                    "memory", random.nextInt(Integer.parseInt(cpu) * 4 * 1024) + "Mi")));
        }
        anywhere = SchedulingRequest.of(ResourceList.parse(Map.of("cpu", "1500m", "memory", "2Gi")));
        zoned = new SchedulingRequest(ResourceList.parse(Map.of("cpu", "1500m", "memory", "2Gi")), LabelSelector.parse("zone=z1"));
        prepare(); // JMH does not order several @Setup methods, so this one calls the next step itself
    }

    SchedulingSnapshot prepared;
    SchedulingSnapshot.Usage usage;

    /**
     * The scheduling loop's view, built once per cycle (its cost is {@link #buildSnapshot}). The
     * selector's match set is computed on the first decision that uses it and kept, as a loop reuses it.
     */
    private void prepare() {
        prepared = SchedulingSnapshot.of(snapshot);
        usage = prepared.usage(assigned);
        Scheduler.standard().place(prepared, zoned, usage);
    }

    /** A decision on the prepared snapshot: the per-decision cost of a scheduling loop (goal: under 5 ms). */
    @Benchmark
    public Optional<Placement> snapshotPlaceAnywhere() {
        return Scheduler.standard().place(prepared, anywhere, usage);
    }

    @Benchmark
    public Optional<Placement> snapshotPlaceInZone() {
        return Scheduler.standard().place(prepared, zoned, usage);
    }

    /** Building the snapshot and the usage columns from 100,000 nodes: paid once per cycle, not per decision. */
    @Benchmark
    public Optional<Placement> buildSnapshotAndPlaceOnce() {
        SchedulingSnapshot s = SchedulingSnapshot.of(snapshot);
        return Scheduler.standard().place(s, anywhere, s.usage(assigned));
    }

    /** A one-off decision straight over the node objects (no snapshot). */
    @Benchmark
    public Optional<Placement> placeAnywhere() {
        return Scheduler.standard().place(snapshot, anywhere, assigned);
    }

    @Benchmark
    public Optional<Placement> placeInZone() {
        return Scheduler.standard().place(snapshot, zoned, assigned);
    }
}
