package dev.cara.sdk;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProjectSchedulingTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    static Node node(String name, NodeState state, String cpu, String memory, Map<String, String> labels, Condition... conditions) {
        ResourceList alloc = ResourceList.parse(Map.of("cpu", cpu, "memory", memory));
        return Node.builder(name).labels(labels).build()
                .withStatus(new NodeStatus(state, null, alloc, alloc, null, null, List.of(conditions), null));
    }

    static Project project(String name, String cpu, String memory) {
        return Project.builder(name).service("web", "nginx").request("cpu", cpu).request("memory", memory).build();
    }

    static Project on(Project p, ProjectPhase phase, String node) {
        return p.withStatus(new ProjectStatus(phase, node, null));
    }

    @Test
    void bindsToTheBestReadyNodeAndCountsEachBindingForTheNext() {
        List<Node> nodes = List.of(node("a", NodeState.READY, "2", "4Gi", Map.of()), node("b", NodeState.READY, "2", "4Gi", Map.of()));
        ProjectScheduling cycle = ProjectScheduling.of(nodes, List.of());
        assertEquals("a", ((ProjectScheduling.Bind) cycle.schedule(project("p1", "2", "1Gi"), NOW)).node());
        assertEquals("b", ((ProjectScheduling.Bind) cycle.schedule(project("p2", "2", "1Gi"), NOW)).node(),
                "a is full after p1's binding");
        assertInstanceOf(ProjectScheduling.Unschedulable.class, cycle.schedule(project("p3", "1", "1Gi"), NOW));
    }

    @Test
    void projectsHoldingANodeReserveItsResourcesAndOthersDoNot() {
        List<Node> nodes = List.of(node("a", NodeState.READY, "4", "8Gi", Map.of()));
        Project big = project("big", "3", "1Gi");
        for (ProjectPhase phase : ProjectPhase.values()) {
            ProjectScheduling cycle = ProjectScheduling.of(nodes, List.of(on(big, phase, "a")));
            ProjectScheduling.Outcome o = cycle.schedule(project("p", "2", "1Gi"), NOW);
            assertEquals(phase.holdsNode(), o instanceof ProjectScheduling.Unschedulable, phase + ": " + o);
        }
        assertEquals(Map.of("a", ResourceList.parse(Map.of("cpu", "6", "memory", "2Gi"))), ProjectScheduling.reserved(
                List.of(on(big, ProjectPhase.RUNNING, "a"), on(big, ProjectPhase.TERMINATING, "a"), on(big, ProjectPhase.FAILED, "a"))));
    }

    @Test
    void unschedulableCountsWhyEachNodeCannotTakeIt() {
        List<Node> nodes = List.of(
                node("n1", NodeState.NOT_READY, "8", "8Gi", Map.of()),
                node("n2", NodeState.NOT_READY, "8", "8Gi", Map.of()),
                node("n3", NodeState.NOT_READY, "8", "8Gi", Map.of()),
                node("n4", NodeState.DRAINING, "8", "8Gi", Map.of()),
                node("n5", NodeState.READY, "8", "512Mi", Map.of()));
        ProjectScheduling.Outcome o = ProjectScheduling.of(nodes, List.of()).schedule(project("p", "1", "1Gi"), NOW);
        ProjectScheduling.Unschedulable u = assertInstanceOf(ProjectScheduling.Unschedulable.class, o);
        assertEquals("0/5 nodes available: 3 NotReady, 1 Draining, 1 insufficient memory", u.message());
        Condition c = u.condition();
        assertEquals(ProjectStatus.SCHEDULED, c.type());
        assertEquals(ConditionStatus.FALSE, c.status());
        assertEquals("Unschedulable", c.reason());
    }

    @Test
    void pressureSelectorsAndAnEmptyFleetAreExplained() {
        List<Node> nodes = List.of(
                node("hot", NodeState.READY, "8", "8Gi", Map.of("zone", "a"), Condition.of(Condition.MEMORY_PRESSURE, ConditionStatus.TRUE, null, null)),
                node("far", NodeState.READY, "8", "8Gi", Map.of("zone", "b")));
        Project p = Project.builder("p").service("web", "nginx").nodeSelector("zone", "a").build();
        assertEquals("0/2 nodes available: 1 MemoryPressure, 1 not matching nodeSelector",
                ((ProjectScheduling.Unschedulable) ProjectScheduling.of(nodes, List.of()).schedule(p, NOW)).message());
        assertEquals("0/0 nodes available: no node is registered",
                ((ProjectScheduling.Unschedulable) ProjectScheduling.of(List.of(), List.of()).schedule(p, NOW)).message());
        assertEquals(Map.of("hot", "MemoryPressure", "far", "not matching nodeSelector"),
                Scheduler.standard().reasons(nodes, p.spec().schedulingRequest(), Map.of()));
    }

    @Test
    void onlyPendingUnexpiredProjectsAreScheduled() {
        ProjectScheduling cycle = ProjectScheduling.of(List.of(node("a", NodeState.READY, "8", "8Gi", Map.of())), List.of());
        assertInstanceOf(ProjectScheduling.Skip.class, cycle.schedule(on(project("p", "1", "1Gi"), ProjectPhase.RUNNING, "a"), NOW));
        Project expired = Project.builder("e").service("web", "nginx").expireAt(NOW).build();
        assertInstanceOf(ProjectScheduling.Skip.class, cycle.schedule(expired, NOW));
    }

    @Test
    void aBindingIsACompareAndSetOnThePendingPhase() {
        Project pending = project("p", "1", "1Gi");
        ProjectScheduling.Bind bind = new ProjectScheduling.Bind("a", 500);
        ProjectStatus bound = bind.apply(pending, NOW);
        assertEquals(ProjectPhase.SCHEDULED, bound.phase());
        assertEquals("a", bound.nodeRef());
        assertEquals(ConditionStatus.TRUE, bound.condition(ProjectStatus.SCHEDULED).orElseThrow().status());
        ConflictException e = assertThrows(ConflictException.class,
                () -> new ProjectScheduling.Bind("b", 500).apply(pending.withStatus(bound), NOW));
        assertEquals(true, e.getMessage().startsWith("project \"p\" is Scheduled: the scheduler cannot move it to Scheduled"),
                e.getMessage());
        ProjectScheduling.Unschedulable u = new ProjectScheduling.Unschedulable("0/1 nodes available: 1 NotReady");
        assertSame(bound, u.apply(pending.withStatus(bound), NOW), "a bound project gets no Unschedulable condition");
        ProjectStatus marked = u.apply(pending, NOW);
        assertSame(marked, u.apply(pending.withStatus(marked), NOW.plusSeconds(30)), "the same reasons again are no write");
    }
}
