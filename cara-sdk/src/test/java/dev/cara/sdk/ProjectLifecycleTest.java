package dev.cara.sdk;

import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectLifecycleTest {
    private final FakeTime time = new FakeTime();
    private final ProjectLifecycle lifecycle = ProjectLifecycle.builder().heartbeatTimeout(Duration.ofSeconds(90)).build();
    private final NotReadyMarks marks = new NotReadyMarks();
    private final Map<String, Node> nodes = new HashMap<>();

    private void node(String name, NodeState state) {
        nodes.put(name, ProjectSchedulingTest.node(name, state, "8", "8Gi", Map.of()));
    }

    private static Project project(ProjectPhase phase, String node, Instant expireAt) {
        return Project.builder("web").service("web", "nginx").expireAt(expireAt).build()
                .withStatus(new ProjectStatus(phase, node, null));
    }

    private ProjectLifecycle.Outcome reconcile(Project p) {
        return lifecycle.reconcile(p, nodes, marks, time.instant());
    }

    @Test
    void theDefaultGracePeriodIsThreeHeartbeatTimeouts() {
        assertEquals(Duration.ofSeconds(270), ProjectLifecycle.standard().gracePeriod());
        assertEquals(Duration.ofMinutes(10), ProjectLifecycle.standard().terminationTimeout());
        assertEquals(Duration.ofMinutes(1), ProjectLifecycle.builder().heartbeatTimeout(Duration.ofSeconds(5))
                .gracePeriod(Duration.ofMinutes(1)).build().gracePeriod());
        assertEquals("gracePeriod", assertThrows(InvalidException.class,
                () -> ProjectLifecycle.builder().gracePeriod(Duration.ZERO)).field());
    }

    @Test
    void aRunningProjectOnANodeNotReadyPastTheGracePeriodGoesBackToPending() {
        node("w1", NodeState.NOT_READY);
        Project p = project(ProjectPhase.RUNNING, "w1", null);
        ProjectLifecycle.Keep wait = assertInstanceOf(ProjectLifecycle.Keep.class, reconcile(p));
        assertEquals(Optional.of(Duration.ofSeconds(270)), wait.recheckAfter());
        time.advance(Duration.ofSeconds(269));
        assertEquals(Optional.of(Duration.ofSeconds(1)), ((ProjectLifecycle.Keep) reconcile(p)).recheckAfter());
        time.advance(Duration.ofSeconds(1));
        ProjectLifecycle.Transition t = assertInstanceOf(ProjectLifecycle.Transition.class, reconcile(p));
        assertEquals(ProjectPhase.PENDING, t.to());
        assertNull(t.newNodeRef());
        assertEquals(ProjectLifecycle.NODE_NOT_READY, t.reason());
        assertEquals("node \"w1\" has been NotReady for 4m30s, longer than the grace period of 4m30s; back to Pending,"
                + " to be scheduled on another node", t.message());
        ProjectStatus after = t.apply(p, time.instant());
        assertEquals(ProjectPhase.PENDING, after.phase());
        assertNull(after.nodeRef());
        assertEquals(ConditionStatus.FALSE, after.condition(ProjectStatus.SCHEDULED).orElseThrow().status());
        assertEquals(ProjectLifecycle.NODE_NOT_READY, after.condition(ProjectStatus.PHASE).orElseThrow().reason());
    }

    @Test
    void aNodeThatRecoversGetsAWholeGracePeriodAtItsNextFailure() {
        node("w1", NodeState.NOT_READY);
        Project p = project(ProjectPhase.SCHEDULED, "w1", null);
        reconcile(p);
        time.advance(Duration.ofSeconds(200));
        node("w1", NodeState.READY);
        assertEquals(new ProjectLifecycle.Keep(Optional.empty()), reconcile(p));
        assertTrue(marks.since("w1").isEmpty(), "the mark is cleared on recovery");
        node("w1", NodeState.NOT_READY);
        time.advance(Duration.ofSeconds(100));
        assertEquals(Optional.of(Duration.ofSeconds(270)), ((ProjectLifecycle.Keep) reconcile(p)).recheckAfter(),
                "200 s before the recovery do not count");
    }

    @Test
    void drainingNeverMovesAProject() {
        node("w1", NodeState.DRAINING);
        for (ProjectPhase phase : new ProjectPhase[] {ProjectPhase.SCHEDULED, ProjectPhase.RUNNING, ProjectPhase.TERMINATING}) {
            Project p = project(phase, "w1", null);
            reconcile(p);
            time.advance(Duration.ofHours(1));
            assertEquals(new ProjectLifecycle.Keep(Optional.empty()), reconcile(p), phase.toString());
        }
    }

    @Test
    void aTerminatingProjectOnADeadNodeIsForcedTerminatedAfterTheTimeout() {
        Project p = project(ProjectPhase.TERMINATING, "w1", null);
        assertInstanceOf(ProjectLifecycle.Keep.class, reconcile(p), "w1 is gone: the clock starts");
        time.advance(Duration.ofMinutes(10));
        ProjectLifecycle.Transition t = assertInstanceOf(ProjectLifecycle.Transition.class, reconcile(p));
        assertEquals(ProjectPhase.TERMINATED, t.to());
        assertEquals(ProjectLifecycle.TERMINATION_TIMEOUT, t.reason());
        assertTrue(t.message().startsWith("node \"w1\" has been gone for 10m"), t.message());
        assertEquals(ProjectPhase.TERMINATED, t.apply(p, time.instant()).phase());
    }

    @Test
    void expiryTearsDownWhatRunsAndRemovesWhatDoesNot() {
        node("w1", NodeState.READY);
        Instant expireAt = time.instant().plusSeconds(60);
        Project running = project(ProjectPhase.RUNNING, "w1", expireAt);
        assertEquals(Optional.of(Duration.ofSeconds(60)), ((ProjectLifecycle.Keep) reconcile(running)).recheckAfter());
        time.advance(Duration.ofSeconds(60));
        ProjectLifecycle.Transition t = assertInstanceOf(ProjectLifecycle.Transition.class, reconcile(running));
        assertEquals(ProjectPhase.TERMINATING, t.to());
        assertEquals("w1", t.newNodeRef());
        assertEquals(ProjectLifecycle.EXPIRED, t.reason());
        for (ProjectPhase phase : new ProjectPhase[] {ProjectPhase.PENDING, ProjectPhase.FAILED}) {
            Project idle = project(phase, null, expireAt);
            ProjectLifecycle.Remove r = assertInstanceOf(ProjectLifecycle.Remove.class, reconcile(idle));
            assertEquals(ProjectLifecycle.EXPIRED, r.reason());
            assertTrue(r.appliesTo(idle, time.instant()));
            assertEquals(false, r.appliesTo(project(ProjectPhase.SCHEDULED, "w1", expireAt), time.instant()),
                    "a project bound in the meantime is not removed");
        }
        assertEquals(new ProjectLifecycle.Keep(Optional.empty()), reconcile(project(ProjectPhase.TERMINATING, "w1", expireAt)));
    }

    @Test
    void terminatedProjectsAreRemoved() {
        Project done = project(ProjectPhase.TERMINATED, "w1", null);
        ProjectLifecycle.Remove r = assertInstanceOf(ProjectLifecycle.Remove.class, reconcile(done));
        assertTrue(r.appliesTo(done, time.instant()));
    }

    @Test
    void aTransitionIsACompareAndSetOnWhatItWasDecidedFrom() {
        node("w1", NodeState.READY);
        Project running = project(ProjectPhase.RUNNING, "w1", time.instant());
        ProjectLifecycle.Transition t = (ProjectLifecycle.Transition) reconcile(running);
        Project moved = project(ProjectPhase.PENDING, null, time.instant());
        ConflictException e = assertThrows(ConflictException.class, () -> t.apply(moved, time.instant()));
        assertEquals("project \"web\" changed since it was reconciled: it is Pending, not Running on node \"w1\"; reconcile it again",
                e.getMessage());
    }

    @Test
    void aProjectHoldingANodeWithoutNamingOneIsSettled() {
        ProjectLifecycle.Transition t = assertInstanceOf(ProjectLifecycle.Transition.class,
                reconcile(project(ProjectPhase.TERMINATING, null, null)));
        assertEquals(ProjectPhase.TERMINATED, t.to());
        assertEquals(ProjectLifecycle.NO_NODE, t.reason());
    }
}
