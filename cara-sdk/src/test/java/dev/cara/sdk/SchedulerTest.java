package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerTest {
    private static Node node(String name, NodeState state, String cpu, String memory, Map<String, String> labels, Condition... conditions) {
        ResourceList alloc = ResourceList.parse(Map.of("cpu", cpu, "memory", memory));
        return Node.builder(name).labels(labels).build()
                .withStatus(new NodeStatus(state, null, alloc, alloc, null, null, List.of(conditions), null));
    }

    private static final SchedulingRequest ONE_CPU = SchedulingRequest.of(ResourceList.parse(Map.of("cpu", "1", "memory", "1Gi")));

    @Test
    void onlyReadyNodesWithoutPressureThatMatchAndFitAreFeasible() {
        List<Node> nodes = List.of(
                node("ready", NodeState.READY, "4", "8Gi", Map.of("zone", "a")),
                node("not-ready", NodeState.NOT_READY, "4", "8Gi", Map.of("zone", "a")),
                node("draining", NodeState.DRAINING, "4", "8Gi", Map.of("zone", "a")),
                node("pressured", NodeState.READY, "4", "8Gi", Map.of("zone", "a"),
                        Condition.of(Condition.DISK_PRESSURE, ConditionStatus.TRUE, null, null)),
                node("small", NodeState.READY, "500m", "8Gi", Map.of("zone", "a")),
                node("elsewhere", NodeState.READY, "4", "8Gi", Map.of("zone", "b")));
        SchedulingRequest req = new SchedulingRequest(ONE_CPU.resources(), LabelSelector.parse("zone=a"));
        assertEquals(List.of("ready"), Scheduler.standard().feasible(nodes, req, Map.of()).stream().map(Node::name).toList());
        assertEquals(Map.of("not-ready", "Ready", "draining", "Ready", "pressured", "NoPressure", "small", "Fits", "elsewhere", "Selector"),
                Scheduler.standard().explain(nodes, req, Map.of()));
    }

    @Test
    void alreadyAssignedUsageCountsAgainstAllocatable() {
        List<Node> nodes = List.of(node("a", NodeState.READY, "2", "4Gi", Map.of()));
        assertTrue(Scheduler.standard().place(nodes, ONE_CPU, Map.of("a", ResourceList.parse(Map.of("cpu", "1")))).isPresent());
        assertTrue(Scheduler.standard().place(nodes, ONE_CPU, Map.of("a", ResourceList.parse(Map.of("cpu", "1001m")))).isEmpty());
    }

    @Test
    void theEmptiestNodeWinsAndTiesGoToTheSmallestName() {
        List<Node> nodes = new ArrayList<>(List.of(
                node("b", NodeState.READY, "8", "16Gi", Map.of()),
                node("a", NodeState.READY, "8", "16Gi", Map.of()),
                node("c", NodeState.READY, "4", "8Gi", Map.of())));
        assertEquals("a", Scheduler.standard().place(nodes, ONE_CPU, Map.of()).orElseThrow().node().name());
        assertEquals("b", Scheduler.standard().place(nodes, ONE_CPU, Map.of("a", ResourceList.parse(Map.of("cpu", "2")))).orElseThrow()
                .node().name());
        java.util.Collections.reverse(nodes);
        assertEquals("a", Scheduler.standard().place(nodes, ONE_CPU, Map.of()).orElseThrow().node().name(), "order does not matter");
    }

    @Test
    void nothingFeasibleMeansNoPlacement() {
        assertTrue(Scheduler.standard().place(List.of(node("x", NodeState.NOT_READY, "8", "8Gi", Map.of())), ONE_CPU, Map.of()).isEmpty());
    }

    /** The snapshot path and the one-off path must always agree, including after recorded placements. */
    @Test
    void theSnapshotPathAgreesWithTheOneOffPath() {
        org.quicktheories.QuickTheory.qt().withExamples(300).forAll(
                org.quicktheories.generators.SourceDSL.integers().between(0, 1_000_000)).checkAssert(seed -> {
            java.util.Random random = new java.util.Random(seed);
            List<Node> nodes = new ArrayList<>();
            Map<String, ResourceList> assigned = new java.util.HashMap<>();
            int count = 1 + random.nextInt(12);
            for (int i = 0; i < count; i++) {
                NodeState state = NodeState.values()[random.nextInt(3)];
                String name = "n" + random.nextInt(20);
                if (nodes.stream().anyMatch(n -> n.name().equals(name))) {
                    continue;
                }
                nodes.add(node(name, state, (1 + random.nextInt(8)) + "", (1 + random.nextInt(16)) + "Gi",
                        Map.of("zone", "z" + random.nextInt(3)),
                        Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.of(random.nextInt(6) == 0), null, null)));
                if (random.nextBoolean()) {
                    assigned.put(name, ResourceList.parse(Map.of("cpu", random.nextInt(4000) + "m")));
                }
            }
            SchedulingRequest req = new SchedulingRequest(
                    random.nextBoolean() ? ResourceList.EMPTY : ResourceList.parse(Map.of("cpu", random.nextInt(3000) + "m", "memory", random.nextInt(4) + "Gi")),
                    random.nextBoolean() ? LabelSelector.everything() : LabelSelector.parse("zone=z" + random.nextInt(3)));
            SchedulingSnapshot snapshot = SchedulingSnapshot.of(nodes);
            SchedulingSnapshot.Usage usage = snapshot.usage(assigned);
            for (int round = 0; round < 3; round++) {
                Optional<Placement> slow = Scheduler.standard().place(nodes, req, assigned);
                Optional<Placement> fast = Scheduler.standard().place(snapshot, req, usage);
                assertEquals(slow.map(p -> p.node().name() + "/" + p.score()), fast.map(p -> p.node().name() + "/" + p.score()));
                if (slow.isEmpty()) {
                    break;
                }
                assigned.merge(slow.get().node().name(), req.resources(), ResourceList::plus);
                usage.add(slow.get().node().name(), req.resources());
            }
        });
    }
}
