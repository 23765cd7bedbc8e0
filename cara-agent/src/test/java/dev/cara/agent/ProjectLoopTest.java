package dev.cara.agent;

import dev.cara.agent.spi.SimulatedRuntime;
import dev.cara.sdk.ProjectPhase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import static dev.cara.agent.ProjectReconcilerTest.project;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconcile loop's timing on fake time: first pass at once, pokes, resync, backoff, restart. */
class ProjectLoopTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final ManualScheduler time = new ManualScheduler();
    private final SimulatedRuntime runtime = SimulatedRuntime.builder(time).startDelay(Duration.ofSeconds(2)).build();
    private final FakeAssignedProjects server = new FakeAssignedProjects(time);
    private final CapturedLog log = new CapturedLog();

    private ProjectLoop loop() {
        return ProjectLoop.builder().runtime(runtime).assigned(server).scheduler(time).ticker(time).interval(INTERVAL)
                .node(FakeAssignedProjects.NODE).logger(log.logger).build();
    }

    @Test
    void firstPassRunsAtOnceAndAStartingProjectIsLookedAtAgainSoonThenEveryInterval() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        ProjectLoop loop = loop();
        loop.start();
        time.runDue();
        assertEquals(1, loop.passes());
        assertEquals(List.of("cara-web-s0"), runtime.containers());
        assertEquals(Duration.ofSeconds(1), time.nextDelay(), "starting: unsettled, looked at again after 1 s");

        time.advance(Duration.ofSeconds(1)); // 1 s: still starting
        assertEquals(Duration.ofSeconds(2), time.nextDelay(), "backs off while unsettled");
        time.advance(Duration.ofSeconds(2)); // 3 s: running
        assertEquals(ProjectPhase.RUNNING, server.phase("web"));
        assertEquals(INTERVAL, time.nextDelay(), "settled: the next pass is the resync");
        long passes = loop.passes();
        time.advance(INTERVAL.multipliedBy(3));
        assertEquals(passes + 3, loop.passes(), "one resync pass per interval");
        assertEquals(1, log.lines(Level.INFO).stream().filter(l -> l.contains("starting its services")).count(), log.lines().toString());
        assertTrue(log.lines(Level.INFO).stream().anyMatch(l -> l.contains("reported Running (Started)")), log.lines().toString());
    }

    @Test
    void pokesRunAPassAtOnceAndPokesTogetherMakeOnePass() {
        ProjectLoop loop = loop();
        loop.start();
        time.runDue();
        assertEquals(1, loop.passes());

        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        loop.poke();
        loop.poke();
        loop.poke();
        time.runDue();
        assertEquals(2, loop.passes(), "three pokes before the pass ran: one pass");
        assertEquals(List.of("cara-web-s0"), runtime.containers());
        assertEquals(1, time.pending(), "one next pass scheduled, not one per poke");
    }

    @Test
    void aPokeDuringAPassAsksForOneMorePassRightAfterIt() {
        ProjectLoop[] loop = new ProjectLoop[1];
        int[] lists = {0};
        dev.cara.agent.spi.AssignedProjects poking = new dev.cara.agent.spi.AssignedProjects() {
            @Override
            public List<dev.cara.sdk.Project> list() {
                if (lists[0]++ == 0) {
                    loop[0].poke(); // an event lands while the first pass runs
                }
                return server.list();
            }

            @Override
            public void report(String project, dev.cara.agent.spi.StatusReport report) {
                server.report(project, report);
            }
        };
        loop[0] = ProjectLoop.builder().runtime(runtime).assigned(poking).scheduler(time).ticker(time).interval(INTERVAL)
                .node(FakeAssignedProjects.NODE).logger(log.logger).build();
        loop[0].start();
        time.runDue();
        assertEquals(2, loop[0].passes(), "the poke during the pass ran one more pass at once");
        assertEquals(INTERVAL, time.nextDelay());
    }

    @Test
    void aServerThatCannotBeReachedIsLoggedOnceAndAskedAgainWithBackoff() {
        server.unavailable = true;
        ProjectLoop loop = loop();
        loop.start();
        time.runDue();
        assertEquals(List.of(), log.lines(Level.WARNING), "not reached since the start: the heartbeat loop says so");
        server.unavailable = false;
        time.advance(Duration.ofSeconds(1));
        assertEquals(INTERVAL, time.nextDelay(), "reached and settled");

        server.unavailable = true; // lost after it was reached: this loop says so, once
        time.advance(INTERVAL);
        time.advance(Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(2));
        time.advance(Duration.ofSeconds(4));
        assertEquals(6, loop.passes());
        assertEquals(Duration.ofSeconds(8), time.nextDelay());
        time.advance(Duration.ofSeconds(8));
        assertEquals(INTERVAL, time.nextDelay(), "capped at the interval");
        assertEquals(1, log.lines(Level.WARNING).size(), log.lines().toString());
        assertTrue(log.lines(Level.WARNING).getFirst().contains("could not list this node's projects"), log.lines().toString());

        server.unavailable = false;
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        time.advance(INTERVAL);
        assertEquals(List.of("cara-web-s0"), runtime.containers());
    }

    @Test
    void anAgentThatRestartsAdoptsWhatRunsAndDoesNotStartItAgain() {
        server.put(project("web", "nginx:alpine"), ProjectPhase.SCHEDULED);
        ProjectLoop before = loop();
        before.start();
        time.advance(Duration.ofSeconds(5));
        assertEquals(ProjectPhase.RUNNING, server.phase("web"));
        before.stop();
        time.advance(INTERVAL);
        assertEquals(0, time.pending(), "a stopped loop schedules nothing");

        CapturedLog afterLog = new CapturedLog();
        ProjectLoop after = ProjectLoop.builder().runtime(runtime).assigned(server).scheduler(time).ticker(time).interval(INTERVAL)
                .node(FakeAssignedProjects.NODE).logger(afterLog.logger).build();
        after.start();
        time.advance(INTERVAL.multipliedBy(2));
        assertEquals(ProjectPhase.RUNNING, server.phase("web"));
        assertEquals(List.of("cara-web-s0"), runtime.containers());
        assertTrue(afterLog.lines(Level.INFO).getFirst().contains("adopted what already runs: web"), afterLog.lines().toString());
        assertTrue(afterLog.lines().stream().noneMatch(l -> l.contains("starting its services")), afterLog.lines().toString());
        assertEquals(List.of("web:Running:Started"), server.reports,
                "Running was reported once, by the first agent");
    }
}
