package dev.cara.agent;

import dev.cara.agent.ReconcileOutcome.Action;
import dev.cara.agent.ReconcileOutcome.Step;
import dev.cara.agent.spi.AssignedProjects;
import dev.cara.agent.spi.ProjectHealth;
import dev.cara.agent.spi.ProjectRuntime;
import dev.cara.agent.spi.ProjectRuntimeException;
import dev.cara.agent.spi.RuntimeUnavailableException;
import dev.cara.agent.spi.ServiceHealth;
import dev.cara.agent.spi.StartFailedException;
import dev.cara.agent.spi.StatusReport;
import dev.cara.sdk.CaraException;
import dev.cara.sdk.ConflictException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ServiceSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Brings this node's runtime in line with the projects the server binds to it, one pass at a time:
 * starts Scheduled projects and reports Running or Failed (with the reason), health-checks Running
 * ones and reports Failed when a service died, tears Terminating ones down and reports Terminated,
 * and tears down whatever the runtime runs that the server no longer assigns here.
 *
 * <p>A pass keeps no memory: it reads the server ({@link AssignedProjects#list()}) and the runtime
 * ({@link ProjectRuntime#list()}) afresh, so running it again does no harm, and an agent that
 * restarts rebuilds its view on its first pass (it adopts what still runs and removes the rest). It
 * returns what it did as a {@link ReconcileOutcome} instead of logging or scheduling by itself.
 *
 * <p>Order matters where a step can fail half-way. A failed project is reported before it is torn
 * down, so that a report the server never got is made again, with the same reason, by the next pass
 * (which still sees the failed service). A Terminating project is torn down before Terminated is
 * reported, so the server never believes a project gone that still runs. When the server cannot be
 * asked, the pass does nothing at all: an agent that loses the server must not tear down what runs.
 * When the runtime cannot be reached, a Scheduled project is reported Failed with the runtime's
 * reason (it cannot start here), a Running one is left for the next pass (it may still run).
 *
 * <p>Not thread-safe: one thread runs the passes (the agent's scheduler), one at a time; it holds no
 * mutable state between passes.
 */
public final class ProjectReconciler {
    private final ProjectRuntime runtime;
    private final AssignedProjects assigned;

    public ProjectReconciler(ProjectRuntime runtime, AssignedProjects assigned) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.assigned = Objects.requireNonNull(assigned, "assigned");
    }

    /** One pass; see the class comment. Never throws for the server's or the runtime's failures. */
    public ReconcileOutcome reconcile() {
        List<Project> projects;
        try {
            projects = assigned.list();
        } catch (CaraException e) {
            return new ReconcileOutcome(List.of(), Optional.of("could not list this node's projects: " + e.getMessage()));
        }
        List<Step> steps = new ArrayList<>();
        Set<String> keep = new HashSet<>();
        for (Project p : projects) {
            try {
                if (reconcileOne(p, steps)) {
                    keep.add(p.name());
                }
            } catch (RuntimeUnavailableException e) {
                if (p.phase() == ProjectPhase.SCHEDULED) {
                    // It cannot start here while the runtime is away: say so, with the runtime's own words
                    // (for Docker: the socket and how to fix it), rather than leave it Scheduled in silence.
                    // What was created of it, if anything, goes with the orphan sweep once the runtime is back.
                    report(p.name(), new StatusReport(ProjectPhase.FAILED, e.reason(), e.getMessage()), steps);
                } else {
                    // A Running project may well still run (a daemon restart): never fail it for that.
                    steps.add(new Step(p.name(), Action.RETRY, null, e.getMessage()));
                    keep.add(p.name());
                }
            } catch (ProjectRuntimeException e) {
                steps.add(new Step(p.name(), Action.RETRY, null, e.getMessage()));
                keep.add(p.name()); // what its state is we could not tell: leave it to the next pass
            }
        }
        try {
            for (ProjectHealth running : runtime.list()) {
                if (!keep.contains(running.project())) {
                    tearDown(running.project(), "the server does not assign it to this node (any more)", steps);
                }
            }
        } catch (RuntimeUnavailableException e) {
            // With nothing assigned there is nothing to retry for: the agent said at start that the
            // runtime does not answer, and a project bound here later is reported with the reason.
            if (!projects.isEmpty()) {
                steps.add(new Step("*", Action.RETRY, null, "could not list what the runtime runs: " + e.getMessage()));
            }
        } catch (ProjectRuntimeException e) {
            steps.add(new Step("*", Action.RETRY, null, "could not list what the runtime runs: " + e.getMessage()));
        }
        return new ReconcileOutcome(steps, Optional.empty());
    }

    // Returns whether the project may go on running in the runtime after this pass.
    private boolean reconcileOne(Project p, List<Step> steps) {
        return switch (p.phase()) {
            case SCHEDULED -> reconcileScheduled(p, steps);
            case RUNNING -> reconcileRunning(p, steps);
            case TERMINATING -> {
                tearDown(p.name(), "it is Terminating", steps);
                report(p.name(), new StatusReport(ProjectPhase.TERMINATED, "TornDown",
                        "the agent stopped and removed every container and ephemeral volume of project \"" + p.name() + "\""), steps);
                yield false;
            }
            // Pending, Failed, Terminated: nothing of it may run here; the orphan sweep removes leftovers.
            case PENDING, FAILED, TERMINATED -> false;
        };
    }

    private boolean reconcileScheduled(Project p, List<Step> steps) {
        List<String> services = serviceNames(p);
        Optional<ProjectHealth> health = runtime.health(p.name());
        if (health.isPresent() && !health.get().failed().isEmpty()) {
            return failed(p.name(), failureOf(p, health.get(), services).orElseThrow(), steps);
        }
        if (health.isEmpty() || !health.get().allRunning(services)) {
            // Idempotent: creates what is missing and starts what was created but never started
            // (an agent that died between the two), leaving running services alone.
            try {
                runtime.start(p);
                steps.add(new Step(p.name(), Action.STARTED, null, health.isEmpty() ? ""
                        : "again, for the service(s) not up yet")); // empty detail: nothing of it existed before

            } catch (StartFailedException e) {
                return failed(p.name(), new StatusReport(ProjectPhase.FAILED, e.reason(), e.getMessage()), steps);
            }
            health = runtime.health(p.name());
        }
        Optional<StatusReport> failure = health.isEmpty() ? Optional.of(missing(p, services))
                : failureOf(p, health.get(), services);
        if (failure.isPresent()) {
            return failed(p.name(), failure.get(), steps);
        }
        if (health.get().allRunning(services)) {
            report(p.name(), new StatusReport(ProjectPhase.RUNNING, "Started",
                    "all " + services.size() + " service(s) of project \"" + p.name() + "\" are running"), steps);
        } else {
            steps.add(new Step(p.name(), Action.WAITING, null, "starting"));
        }
        return true;
    }

    private boolean reconcileRunning(Project p, List<Step> steps) {
        List<String> services = serviceNames(p);
        Optional<ProjectHealth> health = runtime.health(p.name());
        Optional<StatusReport> failure = health.isEmpty() ? Optional.of(missing(p, services))
                : failureOf(p, health.get(), services);
        if (failure.isPresent()) {
            return failed(p.name(), failure.get(), steps);
        }
        if (!health.get().allRunning(services)) {
            steps.add(new Step(p.name(), Action.WAITING, null, "a service is restarting"));
        }
        return true;
    }

    // A failed or vanished service, as the report that says so; empty while none is.
    private static Optional<StatusReport> failureOf(Project p, ProjectHealth health, List<String> services) {
        List<ServiceHealth> failed = health.failed();
        if (!failed.isEmpty()) {
            ServiceHealth first = failed.getFirst();
            String more = failed.size() > 1 ? " (and " + (failed.size() - 1) + " more service(s) failed)" : "";
            return Optional.of(new StatusReport(ProjectPhase.FAILED, first.reason(), first.message() + more));
        }
        if (!health.missing(services).isEmpty()) {
            return Optional.of(missing(p, services.stream().filter(health.missing(services)::contains).toList()));
        }
        return Optional.empty();
    }

    private static StatusReport missing(Project p, List<String> services) {
        return new StatusReport(ProjectPhase.FAILED, "ServiceMissing", "service(s) " + String.join(", ", services)
                + " of project \"" + p.name() + "\" no longer exist in the runtime (removed outside cara?)");
    }

    // Reports Failed, then tears down once the server has taken (or refused) the report; returns false
    // when the project is gone from the runtime, true when it stays for the next pass to report again.
    private boolean failed(String project, StatusReport report, List<Step> steps) {
        if (!report(project, report, steps)) {
            return true;
        }
        tearDown(project, "it failed: " + report.message(), steps);
        return false;
    }

    // Returns whether the server answered (accepted or refused); false when it could not be reached.
    private boolean report(String project, StatusReport report, List<Step> steps) {
        try {
            assigned.report(project, report);
            steps.add(new Step(project, Action.REPORTED, report, ""));
            return true;
        } catch (ConflictException e) {
            steps.add(new Step(project, Action.REPORT_REFUSED, report, e.getMessage()));
            return true;
        } catch (CaraException e) {
            steps.add(new Step(project, Action.RETRY, report, "could not report " + report.phase() + ": " + e.getMessage()));
            return false;
        }
    }

    private void tearDown(String project, String why, List<Step> steps) {
        runtime.tearDown(project);
        steps.add(new Step(project, Action.TORN_DOWN, null, why));
    }

    private static List<String> serviceNames(Project p) {
        return p.spec().services().stream().map(ServiceSpec::name).toList();
    }
}
