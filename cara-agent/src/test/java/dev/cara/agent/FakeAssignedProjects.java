package dev.cara.agent;

import dev.cara.agent.spi.AssignedProjects;
import dev.cara.agent.spi.StatusReport;
import dev.cara.sdk.NotFoundException;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectPhase;
import dev.cara.sdk.ProjectStatus;
import dev.cara.sdk.UnavailableException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's side of {@link AssignedProjects} in memory: projects bound to {@link #NODE}, reports
 * applied through the real {@link ProjectStatus#agentReport} (so a step the agent may not make is a
 * ConflictException, as over HTTP). Tests play the control plane with {@link #put}, {@link #move}
 * and {@link #remove}. Single-threaded, as the reconciler's tests are.
 */
final class FakeAssignedProjects implements AssignedProjects {
    static final String NODE = "node-1";

    private final Clock clock;
    private final Map<String, Project> projects = new LinkedHashMap<>();
    final List<String> reports = new ArrayList<>();
    boolean unavailable;

    FakeAssignedProjects(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<Project> list() {
        if (unavailable) {
            throw new UnavailableException("server down (test)");
        }
        return projects.values().stream().filter(p -> NODE.equals(p.status().nodeRef())).toList();
    }

    @Override
    public void report(String project, StatusReport report) {
        if (unavailable) {
            throw new UnavailableException("server down (test)");
        }
        Project p = projects.get(project);
        if (p == null) {
            throw new NotFoundException("project \"" + project + "\" not found");
        }
        ProjectStatus next = p.status().agentReport(project, NODE, report.phase(), report.reason(), report.message(),
                clock.instant());
        projects.put(project, p.withStatus(next));
        reports.add(project + ":" + report.phase() + ":" + report.reason());
    }

    /** Binds {@code project} to this node in {@code phase}. */
    void put(Project project, ProjectPhase phase) {
        projects.put(project.name(), project.withStatus(new ProjectStatus(phase, NODE, List.of())));
    }

    /** The control plane's own step (delete, expiry, rescheduling), checked against the phase table. */
    void move(String project, ProjectPhase to) {
        Project p = projects.get(project);
        String node = to == ProjectPhase.PENDING ? null : p.status().nodeRef();
        projects.put(project, p.withStatus(p.status().transition(project, to, ProjectPhase.Actor.CONTROL_PLANE, node,
                "Test", "moved by the test", clock.instant())));
    }

    void remove(String project) {
        projects.remove(project);
    }

    ProjectPhase phase(String project) {
        return projects.get(project).phase();
    }

    String reason(String project) {
        return projects.get(project).status().condition(ProjectStatus.PHASE).map(c -> c.reason()).orElse(null);
    }

    Map<String, Project> all() {
        return projects;
    }
}
