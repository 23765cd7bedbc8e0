package dev.cara.agent;

import dev.cara.agent.ReconcileOutcome.Action;
import dev.cara.agent.spi.SimulatedRuntime;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ServiceSpec;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProjectReconcilerTest {
    private final FakeTime time = new FakeTime();
    private final SimulatedRuntime runtime = SimulatedRuntime.builder(time).startDelay(Duration.ofSeconds(5)).build();
    private final FakeAssignedProjects server = new FakeAssignedProjects(time);
    private final ProjectReconciler reconciler = new ProjectReconciler(runtime, server);

    static Project project(String name, String... images) {
        Project.Builder b = Project.builder(name).volume("data");
        for (int i = 0; i < images.length; i++) {
            b.service(ServiceSpec.builder("s" + i).image(images[i]).env("K", "v")
                    .volumeMount("data", "/data").build());
        }
        return b.build();
    }

    @Test
    void scheduledProjectStartsWaitsForItsServicesThenReportsRunning() {
        server.put(project("web", "nginx:alpine", "redis:7"), ProjectPhase.SCHEDULED);

        ReconcileOutcome first = reconciler.reconcile();
        assertEquals(List.of(Action.STARTED, Action.WAITING), actions(first, "web"));
        assertFalse(first.settled());
        assertEquals(List.of("cara-web-s0", "cara-web-s1"), runtime.containers());
        assertEquals(List.of("cara-web-data"), runtime.volumes());
        assertEquals(ProjectPhase.SCHEDULED, server.phase("web"));

        time.advance(Duration.ofSeconds(5));
        ReconcileOutcome second = reconciler.reconcile();
        assertEquals(List.of(Action.REPORTED), actions(second, "web"), "started once only: " + second);
        assertEquals(ProjectPhase.RUNNING, server.phase("web"));
        assertEquals("Started", server.reason("web"));

        ReconcileOutcome third = reconciler.reconcile();
        assertTrue(third.steps().isEmpty(), "a healthy Running project needs nothing: " + third);
        assertTrue(third.settled());
    }

    @Test
    void imageThatFailsToStartIsReportedFailedWithTheReasonAndTornDown() {
        server.put(project("bad", "nginx:alpine", "fail:nope"), ProjectPhase.SCHEDULED);

        ReconcileOutcome outcome = reconciler.reconcile();

        assertEquals(ProjectPhase.FAILED, server.phase("bad"));
        assertEquals("StartFailed", server.reason("bad"));
        String message = outcome.reportsOf("bad").getFirst().message();
        assertTrue(message.contains("\"s1\"") && message.contains("fail:nope"), message);
        assertEquals(List.of(), runtime.containers());
        assertEquals(List.of(), runtime.volumes());
    }

    @Test
    void runningProjectWhoseServiceDiesIsReportedFailedAndTornDown() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        time.advance(Duration.ofSeconds(5));
        reconciler.reconcile();
        assertEquals(ProjectPhase.RUNNING, server.phase("web"));

        runtime.crash("web", "s0", "Exited", "service \"s0\" exited with code 137");
        ReconcileOutcome outcome = reconciler.reconcile();

        assertEquals(ProjectPhase.FAILED, server.phase("web"));
        assertEquals("Exited", server.reason("web"));
        assertEquals(List.of(Action.REPORTED, Action.TORN_DOWN), actions(outcome, "web"));
        assertEquals(List.of(), runtime.containers());
    }

    @Test
    void imageThatCrashesAfterStartingIsReportedFailed() {
        server.put(project("flaky", "crash:app"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        time.advance(Duration.ofSeconds(5));
        reconciler.reconcile();

        assertEquals(ProjectPhase.FAILED, server.phase("flaky"));
        assertEquals("Exited", server.reason("flaky"));
    }

    @Test
    void terminatingProjectIsTornDownThenReportedTerminated() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        server.move("web", ProjectPhase.TERMINATING);

        ReconcileOutcome outcome = reconciler.reconcile();

        assertEquals(List.of(Action.TORN_DOWN, Action.REPORTED), actions(outcome, "web"));
        assertEquals(ProjectPhase.TERMINATED, server.phase("web"));
        assertEquals(List.of(), runtime.containers());
        assertEquals(List.of(), runtime.volumes());
        assertTrue(reconciler.reconcile().steps().isEmpty(), "Terminated again is nothing to do");
    }

    @Test
    void projectTheServerNoLongerAssignsIsTornDown() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        server.put(project("db", "postgres:17"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        server.move("web", ProjectPhase.PENDING); // rescheduled off this node

        ReconcileOutcome outcome = reconciler.reconcile();

        assertEquals(List.of(Action.TORN_DOWN), actions(outcome, "web"));
        assertEquals(List.of("cara-db-s0"), runtime.containers());
    }

    @Test
    void agentRestartAdoptsWhatRunsAndRemovesWhatIsNotAssigned() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        server.put(project("old", "nginx:alpine"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        time.advance(Duration.ofSeconds(5));
        reconciler.reconcile();
        server.remove("old"); // deleted while the agent was down

        ReconcileOutcome afterRestart = new ProjectReconciler(runtime, server).reconcile();

        assertEquals(List.of(), actions(afterRestart, "web"), "adopted as it runs: " + afterRestart);
        assertEquals(List.of(Action.TORN_DOWN), actions(afterRestart, "old"));
        assertEquals(List.of("cara-web-s0"), runtime.containers());
        assertEquals(ProjectPhase.RUNNING, server.phase("web"));
    }

    @Test
    void serverUnreachableTearsNothingDown() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        server.unavailable = true;

        ReconcileOutcome outcome = reconciler.reconcile();

        assertTrue(outcome.skipped().orElseThrow().contains("server down"), outcome.toString());
        assertFalse(outcome.settled());
        assertEquals(List.of("cara-web-s0"), runtime.containers());
    }

    @Test
    void lostFailureReportIsMadeAgainWithTheSameReason() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        time.advance(Duration.ofSeconds(5));
        reconciler.reconcile();
        runtime.crash("web", "s0", "OOMKilled", "service \"s0\" was killed: out of memory");
        FlakyReports flaky = new FlakyReports(server);

        ReconcileOutcome lost = new ProjectReconciler(runtime, flaky).reconcile();
        assertEquals(List.of(Action.RETRY), actions(lost, "web"));
        assertEquals(List.of("cara-web-s0"), runtime.containers(), "kept until the report is through");

        reconciler.reconcile();
        assertEquals(ProjectPhase.FAILED, server.phase("web"));
        assertEquals("OOMKilled", server.reason("web"));
        assertEquals(List.of(), runtime.containers());
    }

    @Test
    void scheduledProjectIsReportedFailedWithTheRuntimesWordsWhileTheRuntimeIsUnreachable() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        runtime.unavailable(true);

        ReconcileOutcome outcome = reconciler.reconcile();

        assertEquals(List.of(Action.REPORTED), actions(outcome, "web"), outcome.toString());
        assertEquals(ProjectPhase.FAILED, server.phase("web"));
        assertEquals("RuntimeUnavailable", server.reason("web"));
        assertEquals(List.of("web:Failed:RuntimeUnavailable"), server.reports);
    }

    @Test
    void runningProjectIsRetriedAndNotFailedWhileTheRuntimeIsUnreachable() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        time.advance(Duration.ofSeconds(5));
        reconciler.reconcile();
        assertEquals(ProjectPhase.RUNNING, server.phase("web"));
        runtime.unavailable(true);

        ReconcileOutcome outcome = reconciler.reconcile();

        assertEquals(Action.RETRY, outcome.stepsOf("web").getFirst().action());
        assertFalse(outcome.settled());
        assertEquals(ProjectPhase.RUNNING, server.phase("web"), "a daemon restart must not fail what runs");
        runtime.unavailable(false);
        assertTrue(reconciler.reconcile().steps().isEmpty(), "still running, adopted as it was");
        assertEquals(List.of("cara-web-s0"), runtime.containers());
    }

    @Test
    void runningProjectWhoseContainersVanishedIsReportedFailed() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        time.advance(Duration.ofSeconds(5));
        reconciler.reconcile();
        runtime.tearDown("web"); // someone removed the containers by hand

        reconciler.reconcile();

        assertEquals(ProjectPhase.FAILED, server.phase("web"));
        assertEquals("ServiceMissing", server.reason("web"));
    }

    @Test
    void reportRefusedBecauseTheProjectMovedOnIsNotAnError() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        reconciler.reconcile();
        time.advance(Duration.ofSeconds(5));
        // The control plane turns it Terminating between the agent's list and its report.
        AssignedProjectsRacingDelete racing = new AssignedProjectsRacingDelete(server, "web");

        ReconcileOutcome outcome = new ProjectReconciler(runtime, racing).reconcile();

        assertEquals(List.of(Action.REPORT_REFUSED), actions(outcome, "web"));
        reconciler.reconcile();
        assertEquals(ProjectPhase.TERMINATED, server.phase("web"));
        assertEquals(List.of(), runtime.containers());
    }

    private static List<Action> actions(ReconcileOutcome outcome, String project) {
        return outcome.stepsOf(project).stream().map(ReconcileOutcome.Step::action).toList();
    }

    // Lists as the server does, but every report is lost on the way.
    private record FlakyReports(FakeAssignedProjects server) implements dev.cara.agent.spi.AssignedProjects {
        @Override
        public List<Project> list() {
            return server.list();
        }

        @Override
        public void report(String project, dev.cara.agent.spi.StatusReport report) {
            throw new dev.cara.sdk.UnavailableException("connection reset (test)");
        }
    }

    // Lists as the server does, then marks the project Terminating before the report lands.
    private record AssignedProjectsRacingDelete(FakeAssignedProjects server, String project)
            implements dev.cara.agent.spi.AssignedProjects {
        @Override
        public List<Project> list() {
            List<Project> out = server.list();
            server.move(project, ProjectPhase.TERMINATING);
            return out;
        }

        @Override
        public void report(String name, dev.cara.agent.spi.StatusReport report) {
            server.report(name, report);
        }
    }
}
