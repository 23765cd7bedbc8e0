package dev.cara.agent;

import dev.cara.agent.spi.ProjectHealth;
import dev.cara.agent.spi.ServiceState;
import dev.cara.agent.spi.SimulatedRuntime;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.testkit.FakeTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Random histories of assignments (new projects with good, failing and crashing images; deletes;
 * rescheduling away; removals), runtime failures (a seeded failure rate, crashed services, the
 * runtime or the server unreachable), agent restarts and time, with reconcile passes among them.
 */
class ProjectReconcilerPropertiesTest {
    private static final Set<ProjectPhase> MAY_RUN = EnumSet.of(ProjectPhase.SCHEDULED, ProjectPhase.RUNNING);

    @Test
    void runtimeRunsOnlyAssignedProjectsAndEveryTerminatingProjectEndsTerminated() {
        qt().withExamples(300).forAll(lists().of(integers().between(0, 9_999)).ofSizeBetween(1, 80), longs().all())
                .checkAssert(ProjectReconcilerPropertiesTest::history);
    }

    private static void history(List<Integer> ops, long seed) {
        FakeTime time = new FakeTime();
        SimulatedRuntime runtime = SimulatedRuntime.builder(time).startDelay(Duration.ofSeconds(5))
                .failureRate(0.1).seed(seed).build();
        FakeAssignedProjects server = new FakeAssignedProjects(time);
        ProjectReconciler reconciler = new ProjectReconciler(runtime, server);
        boolean runtimeDown = false;
        int next = 0;
        for (int op : ops) {
            int arg = op / 10;
            switch (op % 10) {
                case 0 -> {
                    String image = switch (arg % 5) {
                        case 0 -> "fail:x";
                        case 1 -> "crash:x";
                        default -> "nginx:alpine";
                    };
                    server.put(ProjectReconcilerTest.project("p" + next++, image, "redis:7"), ProjectPhase.SCHEDULED);
                }
                case 1 -> pick(server, arg, MAY_RUN).ifPresent(p -> server.move(p, ProjectPhase.TERMINATING));
                case 2 -> pick(server, arg, MAY_RUN).ifPresent(p -> server.move(p, ProjectPhase.PENDING));
                case 3 -> pick(server, arg, EnumSet.of(ProjectPhase.TERMINATED, ProjectPhase.FAILED, ProjectPhase.PENDING))
                        .ifPresent(server::remove);
                case 4 -> time.advance(Duration.ofSeconds(arg % 7));
                case 5 -> {
                    if (!runtimeDown) {
                        List<ProjectHealth> running = runtime.list();
                        if (!running.isEmpty()) {
                            ProjectHealth h = running.get(arg % running.size());
                            h.services().stream().filter(s -> s.state() != ServiceState.FAILED).findFirst()
                                    .ifPresent(s -> runtime.crash(h.project(), s.service(), "Exited", "killed (test)"));
                        }
                    }
                }
                case 6 -> runtime.unavailable(runtimeDown = !runtimeDown);
                case 7 -> server.unavailable = !server.unavailable;
                case 8 -> reconciler = new ProjectReconciler(runtime, server); // an agent restart keeps no memory
                default -> {
                    reconciler.reconcile();
                    if (!runtimeDown && !server.unavailable) {
                        assertOnlyAssignedRun(runtime, server);
                    }
                }
            }
        }
        runtime.unavailable(false);
        server.unavailable = false;
        for (int i = 0; i < 4; i++) {
            reconciler.reconcile();
            time.advance(Duration.ofSeconds(10));
        }
        assertOnlyAssignedRun(runtime, server);
        List<String> stuck = server.all().values().stream()
                .filter(p -> p.phase() == ProjectPhase.TERMINATING || p.phase() == ProjectPhase.SCHEDULED)
                .map(p -> p.name() + " " + p.phase()).toList();
        assertEquals(List.of(), stuck, "every Terminating project ends Terminated, every Scheduled one Running or Failed");
        assertEquals(names(server, EnumSet.of(ProjectPhase.RUNNING)),
                runtime.list().stream().map(ProjectHealth::project).collect(Collectors.toSet()));
    }

    private static void assertOnlyAssignedRun(SimulatedRuntime runtime, FakeAssignedProjects server) {
        Set<String> allowed = names(server, MAY_RUN);
        for (ProjectHealth h : runtime.list()) {
            assertTrue(allowed.contains(h.project()), "runtime runs " + h.project() + ", which is not assigned to run here: "
                    + server.all().values().stream().map(p -> p.name() + "=" + p.phase() + "@" + p.status().nodeRef()).toList());
        }
    }

    private static Set<String> names(FakeAssignedProjects server, Set<ProjectPhase> phases) {
        return server.list().stream().filter(p -> phases.contains(p.phase())).map(Project::name).collect(Collectors.toSet());
    }

    private static Optional<String> pick(FakeAssignedProjects server, int arg, Set<ProjectPhase> phases) {
        List<String> candidates = new ArrayList<>(server.all().values().stream().filter(p -> phases.contains(p.phase()))
                .map(Project::name).toList());
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(arg % candidates.size()));
    }
}
