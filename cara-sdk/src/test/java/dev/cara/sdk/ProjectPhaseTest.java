package dev.cara.sdk;

import dev.cara.sdk.ProjectPhase.Actor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static dev.cara.sdk.ProjectPhase.FAILED;
import static dev.cara.sdk.ProjectPhase.PENDING;
import static dev.cara.sdk.ProjectPhase.RUNNING;
import static dev.cara.sdk.ProjectPhase.SCHEDULED;
import static dev.cara.sdk.ProjectPhase.TERMINATED;
import static dev.cara.sdk.ProjectPhase.TERMINATING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectPhaseTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void theAgentReportsRunningFailedOrTerminatedOnly() {
        Set<String> allowed = Set.of("Scheduled>Running", "Scheduled>Failed", "Running>Failed", "Terminating>Terminated",
                "Running>Running", "Failed>Failed", "Terminated>Terminated");
        for (ProjectPhase from : ProjectPhase.values()) {
            for (ProjectPhase to : ProjectPhase.values()) {
                assertEquals(allowed.contains(from + ">" + to), from.canTransition(to, Actor.AGENT), from + " -> " + to);
            }
        }
    }

    @Test
    void theSchedulerOnlyBindsPendingProjects() {
        for (ProjectPhase from : ProjectPhase.values()) {
            for (ProjectPhase to : ProjectPhase.values()) {
                assertEquals(from == PENDING && to == SCHEDULED, from.canTransition(to, Actor.SCHEDULER), from + " -> " + to);
            }
        }
    }

    @Test
    void theControlPlaneReschedulesTerminatesAndForces() {
        assertTrue(SCHEDULED.canTransition(PENDING, Actor.CONTROL_PLANE));
        assertTrue(RUNNING.canTransition(PENDING, Actor.CONTROL_PLANE));
        assertTrue(RUNNING.canTransition(TERMINATING, Actor.CONTROL_PLANE));
        assertTrue(TERMINATING.canTransition(TERMINATED, Actor.CONTROL_PLANE));
        assertTrue(FAILED.canTransition(PENDING, Actor.CONTROL_PLANE));
        assertEquals(false, PENDING.canTransition(SCHEDULED, Actor.CONTROL_PLANE), "only the scheduler binds");
        assertEquals(false, TERMINATING.canTransition(RUNNING, Actor.CONTROL_PLANE));
        assertEquals(false, TERMINATED.canTransition(PENDING, Actor.CONTROL_PLANE), "Terminated is final");
    }

    @Test
    void aRefusedStepNamesTheCurrentAndTheRequestedPhaseAndWhatIsAllowed() {
        ConflictException e = assertThrows(ConflictException.class, () -> PENDING.check("web", RUNNING, Actor.AGENT));
        assertEquals("project \"web\" is Pending: the agent cannot move it to Running; the agent may move a project"
                + " from Scheduled to Running or Failed, from Running to Failed, from Terminating to Terminated", e.getMessage());
        assertEquals(SCHEDULED, PENDING.check("web", SCHEDULED, Actor.SCHEDULER));
    }

    @Test
    void whatHoldsANodeAndWhatMayChangeItsSpec() {
        for (ProjectPhase p : ProjectPhase.values()) {
            assertEquals(p == SCHEDULED || p == RUNNING || p == TERMINATING, p.holdsNode(), p.toString());
            assertEquals(p == PENDING || p == FAILED, p.specMutable(), p.toString());
        }
    }

    @Test
    void aTransitionRecordsWhyAndARepeatedReportWritesNothing() {
        ProjectStatus scheduled = new ProjectStatus(SCHEDULED, "w1", null);
        ProjectStatus running = scheduled.transition("web", RUNNING, Actor.AGENT, "w1", "ContainersRunning", "all up", NOW);
        assertEquals(RUNNING, running.phase());
        assertEquals("w1", running.nodeRef());
        Condition why = running.condition(ProjectStatus.PHASE).orElseThrow();
        assertEquals(ConditionStatus.TRUE, why.status());
        assertEquals("ContainersRunning", why.reason());
        assertEquals(NOW, why.lastTransitionTime());
        assertSame(running, running.transition("web", RUNNING, Actor.AGENT, "w1", "ContainersRunning", "all up", NOW.plusSeconds(5)),
                "the same report again is no write");
        ProjectStatus failed = running.transition("web", FAILED, Actor.AGENT, "w1", "ContainerExited", "web exited 1", NOW.plusSeconds(9));
        assertEquals(1, failed.conditions().size(), "one Phase condition, replaced");
        assertThrows(ConflictException.class, () -> failed.transition("web", RUNNING, Actor.AGENT, "w1", null, null, NOW));
    }

    @Test
    void anAgentReportsOnlyForProjectsOnItsOwnNode() {
        ProjectStatus scheduled = new ProjectStatus(SCHEDULED, "w1", null);
        assertEquals(RUNNING, scheduled.agentReport("web", "w1", RUNNING, "ContainersRunning", null, NOW).phase());
        assertEquals(RUNNING, scheduled.agentReport("web", null, RUNNING, null, null, NOW).phase(), "node unknown: no check");
        ConflictException e = assertThrows(ConflictException.class,
                () -> scheduled.agentReport("web", "w2", RUNNING, null, null, NOW));
        assertEquals("project \"web\" is bound to node \"w1\", not \"w2\": an agent reports only the projects on its own node",
                e.getMessage());
        ProjectStatus rescheduled = new ProjectStatus(PENDING, null, null);
        assertTrue(assertThrows(ConflictException.class, () -> rescheduled.agentReport("web", "w1", RUNNING, null, null, NOW))
                .getMessage().contains("bound to no node"), "a late report from the old node after rescheduling");
        assertThrows(ConflictException.class, () -> new ProjectStatus(TERMINATING, "w1", null)
                .agentReport("web", "w1", RUNNING, null, null, NOW), "a Terminating project never runs again");
    }

    @Test
    void aConditionKeepsItsTransitionTimeWhileItsStatusStays() {
        ProjectStatus s = ProjectStatus.INITIAL.withCondition(Condition.of("Scheduled", ConditionStatus.FALSE, "Unschedulable", "a"), NOW);
        ProjectStatus t = s.withCondition(Condition.of("Scheduled", ConditionStatus.FALSE, "Unschedulable", "b"), NOW.plusSeconds(3));
        assertEquals(NOW, t.condition("Scheduled").orElseThrow().lastTransitionTime());
        assertEquals("b", t.condition("Scheduled").orElseThrow().message());
        assertSame(t, t.withCondition(Condition.of("Scheduled", ConditionStatus.FALSE, "Unschedulable", "b"), NOW.plusSeconds(9)));
        ProjectStatus u = t.withCondition(Condition.of("Scheduled", ConditionStatus.TRUE, "Scheduled", "c"), NOW.plusSeconds(9));
        assertEquals(NOW.plusSeconds(9), u.condition("Scheduled").orElseThrow().lastTransitionTime());
    }
}
