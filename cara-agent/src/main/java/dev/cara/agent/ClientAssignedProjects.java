package dev.cara.agent;

import dev.cara.agent.spi.AssignedProjects;
import dev.cara.agent.spi.StatusReport;
import dev.cara.sdk.CaraClient;
import dev.cara.sdk.Names;
import dev.cara.sdk.Project;
import dev.cara.sdk.ProjectFilter;
import dev.cara.sdk.ProjectStatusReport;

import java.util.List;
import java.util.Objects;

/**
 * {@link AssignedProjects} over the SDK's {@link CaraClient}: the projects bound to this node are
 * {@code GET /api/v1/projects?nodeRef=<node>}, a report is {@code PATCH /api/v1/projects/<name>/status}.
 * The watch that tells the agent when to look again is {@link #filter()}'s, opened by a
 * {@link ProjectWatcher}. Errors keep the client's types. Stateless; safe from any thread.
 */
public final class ClientAssignedProjects implements AssignedProjects {
    private final CaraClient client;
    private final String node;

    public ClientAssignedProjects(CaraClient client, String node) {
        this.client = Objects.requireNonNull(client, "client");
        this.node = Names.requireNodeName("node", node);
    }

    /** The projects of this node: the filter of {@link #list()} and of the agent's watch. */
    public ProjectFilter filter() {
        return ProjectFilter.onNode(node);
    }

    @Override
    public List<Project> list() {
        return client.listProjects(filter()).items();
    }

    @Override
    public void report(String project, StatusReport report) {
        client.reportProjectStatus(project, new ProjectStatusReport(report.phase(), report.reason(), report.message()));
    }
}
